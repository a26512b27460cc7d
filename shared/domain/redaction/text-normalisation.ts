/**
 * Detectors run on a normalised copy of the text whose offsets are identical to the original's:
 * full-width forms (ＡＢ１２３４５６（７）, ＋８５２, ＠) become ASCII one code unit for one code unit,
 * so every span found in the copy can be cut from the original unchanged.
 */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000]/g, (char) =>
    char === '\u3000' ? ' ' : String.fromCharCode(char.charCodeAt(0) - 0xfee0),
  );
}

/** The ASCII digits of a string, in order: "+852 9123-4567" -> "85291234567". */
export function digitsOf(text: string): string {
  return text.replace(/\D/g, '');
}
