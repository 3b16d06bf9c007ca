/** The i-th /24 from 10.0.0.0 on: the list every route sync benchmark (and `ip -batch`) uses. */
export const nthPrefix = (i: number) => `${10 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.0/24`;
