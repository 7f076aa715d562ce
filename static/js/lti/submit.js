// The LTI pages' self-posting form (templates/lti/submit.html): the deep-linking response
// and the launch checked with the platform's storage go on without a click.
for (const form of document.querySelectorAll("form[data-autosubmit]")) form.submit();
