// /api/redoc/: ReDoc's sidebar shows Redocly's logo from cdn.redoc.ly, which Plaudit's CSP
// refuses (and an offline install cannot reach). Loaded before ReDoc's bundle, this keeps
// that one image from being requested at all; the link to Redocly stays.
(function () {
  "use strict";
  function fromTheCdn(element, name, value) {
    return (
      element instanceof HTMLImageElement &&
      String(name).toLowerCase() === "src" &&
      String(value).indexOf("https://cdn.redoc.ly/") === 0
    );
  }
  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (fromTheCdn(this, name, value)) {
      this.hidden = true;
      return;
    }
    return setAttribute.call(this, name, value);
  };
  var src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true,
    enumerable: src.enumerable,
    get: src.get,
    set: function (value) {
      if (fromTheCdn(this, "src", value)) {
        this.hidden = true;
        return;
      }
      src.set.call(this, value);
    },
  });
})();
