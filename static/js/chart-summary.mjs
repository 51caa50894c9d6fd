// Progressive enhancement: draw the summary page's bar chart from its JSON data block
// (rendered by Django's json_script, which CSP allows because it is not executed). The table
// beside the chart shows the same numbers, so nothing is lost without JavaScript.
for (const holder of document.querySelectorAll("[data-chart]")) {
  const block = document.getElementById(holder.dataset.chart);
  const canvas = holder.querySelector("canvas");
  if (!block || !canvas || !window.Chart) continue;
  const chart = JSON.parse(block.textContent);
  holder.hidden = false;
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: chart.labels,
      datasets: [{ label: "Schools", data: chart.counts, backgroundColor: "#1d70b8" }],
    },
    options: {
      animation: false,
      plugins: { legend: { display: false }, title: { display: true, text: chart.title } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
}
