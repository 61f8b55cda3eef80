import type { BrowserContext } from "playwright-core";

export declare const CHROMIUM: string;
export declare function launchChromium(options: {
  viewport: { width: number; height: number };
  acceptDownloads?: boolean;
}): Promise<BrowserContext>;
