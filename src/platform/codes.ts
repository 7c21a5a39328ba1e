/**
 * Code lists (offences, reasons, themes, channels…): codes are stored and counted, labels are for
 * people and may be reworded. One pair of helpers serves every list.
 */
export type CodeList = readonly { code: string; label: string }[]
export type CodeOf<L extends CodeList> = L[number]['code']

/** The codes of a list, as the non-empty tuple `z.enum` wants. */
export function codesOf<L extends CodeList>(list: L): [CodeOf<L>, ...CodeOf<L>[]] {
  return list.map((x) => x.code) as [CodeOf<L>, ...CodeOf<L>[]]
}

/** The label of a stored code; a code no longer in the list shows as itself rather than vanishing. */
export function labelOf(list: CodeList, code: string): string {
  return list.find((x) => x.code === code)?.label ?? code
}
