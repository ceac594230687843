// Sorting and filtering of the paths table; the page is complete without it.
(() => {
  document.documentElement.classList.add("js");
  const table = document.getElementById("paths");
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const text = document.getElementById("filter-text");
  const status = document.getElementById("filter-status");
  const shown = document.getElementById("shown-count");

  function filter() {
    const query = text.value.trim().toLowerCase();
    let count = 0;
    for (const row of rows) {
      const visible = (!status.value || row.dataset.status === status.value)
        && (!query || row.textContent.toLowerCase().includes(query));
      row.hidden = !visible;
      count += visible ? 1 : 0;
    }
    shown.textContent = shown.dataset.template.replace("{shown}", count).replace("{total}", rows.length);
  }

  function sort(header, numeric) {
    const ascending = header.getAttribute("aria-sort") !== "ascending";
    for (const other of table.tHead.rows[0].cells) other.removeAttribute("aria-sort");
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const column = header.cellIndex;
    const key = (row) => row.cells[column].dataset.value ?? row.cells[column].textContent.trim();
    rows.sort((a, b) => {
      const order = numeric ? Number(key(a)) - Number(key(b)) : key(a).localeCompare(key(b), undefined, { numeric: true });
      return ascending ? order : -order;
    });
    body.append(...rows);
  }

  text.addEventListener("input", filter);
  status.addEventListener("change", filter);
  for (const button of table.tHead.querySelectorAll("button")) {
    button.addEventListener("click", () => sort(button.closest("th"), button.dataset.type === "number"));
  }
  window.addEventListener("beforeprint", () => {
    for (const details of document.querySelectorAll("details")) details.open = true;
  });
})();
