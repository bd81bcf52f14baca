/** An HTTP response as the pure parsers see it: status, lower-cased headers and the body text. */
export interface HttpReply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}
