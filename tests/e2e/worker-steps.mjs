// Worker mode's first steps as a worker takes them, shared by the browser tests and the bench.

/** States who the worker is (林网格, 网格员 of 燕西街道吉峰村) and sets `pin`; waits for the list. */
export async function setUpWorker(page, { pin, phone = '13800000000', timeout = 30000 }) {
  await page.waitForSelector('[data-screen=worker-setup]', { timeout });
  await page.fill('#fp-w-name', '林网格');
  await page.fill('#fp-w-phone', phone);
  await page.fill('#fp-w-township', '燕西街道');
  await page.fill('#fp-w-village', '吉峰村');
  await page.fill('#fp-w-pin', pin);
  await page.fill('#fp-w-pin2', pin);
  await page.check('#fp-w-understood');
  await page.click('[data-testid=worker-setup]');
  await page.waitForSelector('[data-screen=worker-list]', { timeout });
}
