// Progressive enhancement: draw the summary page's bar chart from its JSON data block
// (rendered by Django's json_script, which CSP allows because it is not executed). The table
// beside the chart shows the same numbers, so nothing is lost without JavaScript.
// Bars run sideways so the category names read across, at body-text size and colour, and the
// chart fills its box (.app-chart sets the height): a 2:1 chart is unreadable on a phone.
for (const holder of document.querySelectorAll("[data-chart]")) {
  const block = document.getElementById(holder.dataset.chart);
  const canvas = holder.querySelector("canvas");
  if (!block || !canvas || !window.Chart) continue;
  const chart = JSON.parse(block.textContent);
  // On the projector (board/dashboard) the words are read across a room; on a phone they
  // stay at body size, or the category names would not fit beside the bars.
  const wide = window.matchMedia("(min-width: 641px)").matches;
  const size = holder.closest(".app-projector") && wide ? 22 : 16;
  const text = { color: "#0b0c0c", font: { family: "arial, sans-serif", size } };
  holder.hidden = false;
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: chart.labels,
      datasets: [{ label: chart.label || "Schools", data: chart.counts, backgroundColor: "#1d70b8" }],
    },
    options: {
      indexAxis: "y",
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { display: false },
        title: {
          display: true,
          text: chart.title,
          ...text,
          font: { ...text.font, size: size + 3, weight: "bold" },
        },
      },
      scales: {
        x: { beginAtZero: true, ticks: { precision: 0, ...text } },
        y: { ticks: text },
      },
    },
  });
}
