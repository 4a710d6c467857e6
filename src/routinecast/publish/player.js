// The session page's player: chapters seek when clicked, and the transcript follows the playback.
// No libraries and no server: it works from file:// as from any static host.
(function () {
  "use strict";
  var audio = document.getElementById("player");
  var lines = Array.prototype.slice.call(document.querySelectorAll(".transcript li"));
  var chapters = Array.prototype.slice.call(document.querySelectorAll(".chapters button"));

  chapters.forEach(function (button) {
    button.addEventListener("click", function () {
      audio.currentTime = parseFloat(button.dataset.start);
      audio.play();
    });
  });

  function follow(track) {
    track.mode = "hidden"; // cues fire without the browser drawing them over nothing
    track.addEventListener("cuechange", function () {
      var active = track.activeCues && track.activeCues.length ? track.activeCues[0] : null;
      var index = active ? Array.prototype.indexOf.call(track.cues, active) : -1;
      lines.forEach(function (line, i) {
        line.classList.toggle("active", i === index);
      });
      if (index >= 0) {
        // The list scrolls to keep the line in view; the page itself stays where the reader put it.
        var box = lines[index].parentNode;
        box.scrollTop = lines[index].offsetTop - box.offsetTop - box.clientHeight / 3;
      }
    });
  }

  // A <track> is not loaded from file:// (each file is its own origin there), so the page's own copy
  // of the transcript becomes the track instead.
  function fallback() {
    var track = audio.addTextTrack("captions", "Transcript", audio.dataset.lang || "");
    lines.forEach(function (line) {
      track.addCue(new VTTCue(parseFloat(line.dataset.start), parseFloat(line.dataset.end), line.textContent));
    });
    follow(track);
  }

  var element = audio.querySelector("track");
  if (!element) {
    fallback();
  } else if (element.readyState === 3) {
    element.track.mode = "disabled";
    fallback();
  } else {
    element.addEventListener("error", function () {
      element.track.mode = "disabled";
      fallback();
    });
    follow(element.track);
  }

  audio.addEventListener("timeupdate", function () {
    var now = audio.currentTime;
    chapters.forEach(function (button, i) {
      var next = chapters[i + 1];
      var on = now >= parseFloat(button.dataset.start) && (!next || now < parseFloat(next.dataset.start));
      if (on) {
        button.setAttribute("aria-current", "true");
      } else {
        button.removeAttribute("aria-current");
      }
    });
  });
})();
