// Progressive enhancement: poll a job's status fragment instead of reloading the whole page.
const status = document.querySelector("[data-job-status]");
if (status && status.dataset.finished === "false") {
  const refresh = document.querySelector('meta[http-equiv="refresh"]');
  if (refresh) refresh.remove();
  const poll = async () => {
    const current = document.querySelector("[data-job-status]");
    const response = await fetch(current.dataset.url, { headers: { Accept: "text/html" } });
    if (!response.ok) return;
    const holder = document.createElement("div");
    holder.innerHTML = await response.text();
    const next = holder.querySelector("[data-job-status]");
    current.replaceWith(next);
    if (next.dataset.finished === "false") setTimeout(poll, 1000);
  };
  setTimeout(poll, 1000);
}
