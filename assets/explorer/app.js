// Placeholder: the page's module lands from engineer "page".
fetch('/api/meta').then((r) => r.json()).then((meta) => {
  document.getElementById('app').textContent = `georel explorer: ${meta.relations} relations`;
});
