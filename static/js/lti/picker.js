// The deep-linking picker (templates/lti/picker.html): typing a share link chooses it.
const link = document.querySelector('[data-bind="share-link"]');
const own = document.querySelector('[data-deep-link="state"]');
link?.addEventListener("input", () => {
  if (link.value.trim()) own.checked = true;
});
