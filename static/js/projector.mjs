// The projector's keyboard: arrow keys and Page Up/Page Down move between panels, following the
// page's own "Previous panel" and "Next panel" links (each panel is its own URL, so the links
// work without JavaScript). Keys typed into a form field are left alone.
const projector = document.getElementById("projector");
if (projector) projector.dataset.keys = "on"; // the keys work from here on
const KEYS = { ArrowRight: "next", PageDown: "next", ArrowLeft: "previous", PageUp: "previous" };

document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (!projector || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  if (target.closest && target.closest("input, select, textarea, [contenteditable]")) return;
  const url = projector.dataset[KEYS[event.key]];
  if (!url) return;
  event.preventDefault();
  window.location.assign(url);
});
