/** opencc-js ships its dictionaries as ES modules (`opencc-js/dict/<name>`, "source target|…" strings) without types. */
declare module 'opencc-js/dict/*' {
  const dictionary: string;
  export default dictionary;
}
