/**
 * `value` with −0 made +0, everything else (NaN included) unchanged. JSON has no −0, so a state
 * number or forecast that held −0 would come back from a JSON snapshot as +0 and no longer equal
 * the live one bit for bit; every number that can turn −0 on the way to a message goes through here.
 */
export const withoutNegativeZero = (value: number): number => value + 0
