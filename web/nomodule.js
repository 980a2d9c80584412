// Runs only in browsers too old for ES modules (the app cannot run there): say so in plain words.
(function () {
  var root = document.getElementById('fangpin-app');
  if (!root) return;
  root.innerHTML = '<div class="fp-notice" role="alert"><p><strong>您的浏览器版本太旧，打不开这个自测工具。</strong></p>' +
    '<p>请把微信或手机浏览器更新到最新版再打开；也可以直接拨打热线 <a href="tel:12317">12317</a>，或找村里的网格员帮您申报。</p>' +
    '<p lang="en">This browser is too old for this tool. Please update it, or call 12317.</p></div>';
})();
