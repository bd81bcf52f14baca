/** A short, single-line description of a response body for error messages: an HTML page's title, or its start. */
export function summarizeBody(body: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1]?.trim()
  if (title !== undefined && title !== '') return `HTML page "${title.slice(0, 100)}"`
  if (/^\s*<(!doctype|html)/i.test(body)) return 'HTML page'
  const text = body.replace(/\s+/g, ' ').trim()
  if (text === '') return 'empty body'
  return JSON.stringify(text.length > 160 ? `${text.slice(0, 157)}...` : text)
}
