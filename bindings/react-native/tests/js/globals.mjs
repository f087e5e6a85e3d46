// Web globals the bundle's libraries expect and a bare JSI runtime lacks.
// Imported first by main.mjs, so it runs before them.

// chai creates an EventTarget and Event subclasses at load time, for its
// plugin events.
if (typeof globalThis.Event === 'undefined') {
  globalThis.Event = class Event {
    constructor(type) {
      this.type = type;
    }
  };
}
if (typeof globalThis.EventTarget === 'undefined') {
  globalThis.EventTarget = class EventTarget {
    #listeners = new Map();

    addEventListener(type, listener) {
      if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
      this.#listeners.get(type).add(listener);
    }

    removeEventListener(type, listener) {
      this.#listeners.get(type)?.delete(listener);
    }

    dispatchEvent(event) {
      for (const listener of this.#listeners.get(event.type) ?? []) {
        if (typeof listener === 'function') listener.call(this, event);
        else listener.handleEvent(event);
      }
      return true;
    }
  };
}
