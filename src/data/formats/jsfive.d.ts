// The part of jsfive (public domain, usnistgov/jsfive) that formats/hdf5.ts uses; it ships no types.
declare module "jsfive" {
  export class Group {
    readonly keys: string[];
    get(path: string): Group | Dataset | null;
  }
  export class Dataset {
    readonly shape: number[];
    /** numpy-style type string: "<u1", "<i8", "<f8", "|S7", … */
    readonly dtype: string | object;
    readonly value: ArrayLike<number | bigint | string>;
  }
  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename?: string);
  }
}
