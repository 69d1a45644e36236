// The tip page works without this script; with it, the submission carries a proof-of-work
// (antq.tips.intake) and so meets the looser limit, and the receipt has a copy button.
(() => {
  const zeroBits = (bytes) => {
    let n = 0;
    for (const b of bytes) {
      if (b === 0) { n += 8; continue; }
      return n + Math.clz32(b) - 24;
    }
    return n;
  };

  async function solve(challenge, bits) {
    const encoder = new TextEncoder();
    for (let n = 0; n < 1e8; n++) {
      const digest = await crypto.subtle.digest("SHA-256", encoder.encode(`${challenge}:${n}`));
      if (zeroBits(new Uint8Array(digest)) >= bits) return String(n);
    }
    return "";
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form[data-autosubmit] select").forEach((el) => {
      el.addEventListener("change", () => el.form.requestSubmit());
    });
    const form = document.querySelector("form[data-pow]");
    if (form && window.crypto && crypto.subtle) {
      const input = form.querySelector("[data-pow-challenge]");
      const proof = form.querySelector("[data-pow-proof]");
      const status = form.querySelector("[data-pow-status]");
      const work = solve(input.value, Number(input.dataset.powBits)).then((n) => { proof.value = n; });
      form.addEventListener("submit", (event) => {
        if (proof.value || form.dataset.proven) return;
        event.preventDefault();
        status.hidden = false;
        form.querySelector("button[type=submit]").disabled = true;
        work.finally(() => { form.dataset.proven = "1"; form.submit(); });
      });
    }
    document.querySelectorAll("[data-copy]").forEach((button) => {
      const target = document.querySelector(button.dataset.copy);
      if (!target || !navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", async () => {
        await navigator.clipboard.writeText(target.textContent.trim());
        button.textContent = button.dataset.copied;
      });
    });
  });
})();
