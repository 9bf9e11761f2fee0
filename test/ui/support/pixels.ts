import type { Page } from '@playwright/test';

/**
 * How many distinct colours a PNG holds (sampled, capped at 64). Decoded by Chromium in a blank page of
 * the same browser context, so no PNG library is needed and the app page's CSP does not apply.
 */
export async function distinctColours(page: Page, png: Buffer): Promise<number> {
  const browser = page.context().browser();
  if (!browser) throw new Error('no browser');
  const blank = await browser.newPage();
  try {
    return await blank.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const g = canvas.getContext('2d');
      if (!g) return 0;
      g.drawImage(img, 0, 0);
      const data = g.getImageData(0, 0, canvas.width, canvas.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < data.length && seen.size < 64; i += 4 * 13) seen.add(((data[i] ?? 0) << 16) | ((data[i + 1] ?? 0) << 8) | (data[i + 2] ?? 0));
      return seen.size;
    }, png.toString('base64'));
  } finally {
    await blank.close();
  }
}
