/*
 * Threaded replies: moves the "Leave a Reply" form under the comment being answered, as
 * WordPress's comment-reply.js does. Without JavaScript the reply links still work: they load
 * ?replytocom=N#respond, and the server fills in the form's parent. Loaded as a file because
 * the site's content security policy allows no inline script.
 */
(function () {
  "use strict";

  var respond = document.getElementById("respond");
  var form = respond && respond.querySelector("form");
  var parentField = form && form.elements.namedItem("parent");
  var cancel = document.getElementById("cancel-comment-reply-link");
  var title = document.getElementById("reply-title-text");
  if (!parentField || !cancel || !title) {
    return;
  }

  // A placeholder where the form lives, so that "Cancel reply" can put it back.
  var home = document.createElement("div");
  home.hidden = true;
  respond.parentNode.insertBefore(home, respond);
  var defaultTitle = "Leave a Reply";

  function moveUnder(commentId, author) {
    var item = document.getElementById("comment-" + commentId);
    var article = item && item.querySelector(".comment-item");
    if (!article) {
      return false;
    }
    article.parentNode.insertBefore(respond, article.nextSibling);
    parentField.value = commentId;
    title.textContent = "Reply to " + author;
    cancel.hidden = false;
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".comment-reply-link");
    if (!link || !moveUnder(link.dataset.commentId, link.dataset.author)) {
      return;
    }
    event.preventDefault();
    form.elements.namedItem("body").focus();
  });

  cancel.addEventListener("click", function (event) {
    event.preventDefault();
    home.parentNode.insertBefore(respond, home.nextSibling);
    parentField.value = "";
    title.textContent = defaultTitle;
    cancel.hidden = true;
  });

  // Arrived through a no-script reply link (?replytocom=N): show the form where it belongs.
  if (parentField.value) {
    var link = document.querySelector('.comment-reply-link[data-comment-id="' + parentField.value + '"]');
    if (link) {
      moveUnder(link.dataset.commentId, link.dataset.author);
    }
  }
})();
