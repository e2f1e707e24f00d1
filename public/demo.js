// Demo page glue (no inline scripts: the page runs under script-src 'self').
document.getElementById('open-chat')?.addEventListener('click', function () {
  if (window.OwariChat) window.OwariChat.open();
});
