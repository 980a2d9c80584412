// The printable 明白纸 pages (sheets/, written by `fangpin publish-policy`): the print button and
// copying the SMS / WeChat text. Plain script, no app: the pages work without it too (print from the
// browser's menu; select the text by hand).
for (const b of document.querySelectorAll('[data-sheet-print]')) b.addEventListener('click', () => window.print());
for (const b of document.querySelectorAll('[data-copy]')) {
  b.addEventListener('click', async () => {
    const area = document.getElementById(b.dataset.copy);
    const said = document.querySelector(`[data-copied="${b.dataset.copy}"]`);
    const zh = area.dataset.push !== 'en';
    try {
      await navigator.clipboard.writeText(area.value);
      if (said) said.textContent = zh ? '已复制。' : 'Copied.';
    } catch {
      area.focus();
      area.select();
      if (said) said.textContent = zh ? '请长按选中的文字复制。' : 'Press and hold the selected text to copy it.';
    }
  });
}
