// The callbacks the browser tests give to page.evaluate and waitForFunction run in the page.
// These declarations type the few DOM names they use, so the Node-side typecheck needs no DOM
// library. (A script file: the names are global to the tests' compilation.)
interface PageElement {
  readonly value: string;
  readonly checked: boolean;
  readonly type: string;
  readonly tagName: string;
  readonly textContent: string | null;
  readonly dataset: Record<string, string | undefined>;
  readonly hidden: boolean;
  readonly disabled: boolean;
  readonly title: string;
  toDataURL(): string;
  getBoundingClientRect(): {
    top: number;
    bottom: number;
    left: number;
    right: number;
    width: number;
    height: number;
  };
}
declare const document: {
  readonly body: { readonly dataset: Record<string, string | undefined> };
  querySelector(selector: string): PageElement | null;
  getElementById(id: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
};
declare const location: { readonly hash: string };
declare const innerHeight: number;
declare const innerWidth: number;
declare function requestAnimationFrame(callback: (time: number) => void): number;
