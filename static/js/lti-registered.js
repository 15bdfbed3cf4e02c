// LTI Dynamic Registration: tell the LMS that opened this page (in a frame or a window)
// that the registration is done, so that it closes it.
(function () {
  var message = { subject: "org.imsglobal.lti.close" };
  if (window.opener) { window.opener.postMessage(message, "*"); }
  if (window.parent !== window) { window.parent.postMessage(message, "*"); }
})();
