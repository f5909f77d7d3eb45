/*
 * The help chat widget: a launcher button and a chat panel with Bot Framework Web Chat,
 * for any shop page. One script tag embeds it (see the README):
 *
 *   <script src="https://BOT/widget/widget.js" defer
 *           data-directline="https://BOT/v3/directline"
 *           data-token-url="https://BOT/widget/token"></script>
 *
 * Both data attributes default to the script's own origin (this bot's Direct Line and
 * token endpoint); against Azure Direct Line they name Azure's domain and the shop's own
 * token endpoint. Web Chat's bundle is loaded from beside this script when the chat is
 * first opened. The conversation (token, conversation id, watermark) is kept in
 * sessionStorage, so a reload of the page continues it with its history.
 */
(function () {
  'use strict';

  var script = document.currentScript;
  var scriptUrl = new URL(script.src, document.baseURI);
  var base = scriptUrl.href.replace(/\/[^/]*$/, '');
  var config = {
    directLine: script.getAttribute('data-directline') || new URL('/v3/directline', scriptUrl).href,
    tokenUrl: script.getAttribute('data-token-url') || new URL('/widget/token', scriptUrl).href,
    bundleUrl: base + '/webchat.js',
    styleUrl: base + '/widget.css',
    styleNonce: script.getAttribute('data-style-nonce') || undefined,
  };
  var STORAGE_KEY = 'gallery-help-chat:' + config.directLine;

  var LOCALES = { en: 'en-US', de: 'de-DE', fr: 'fr-FR', nl: 'nl-NL' };
  var TEXT = {
    en: {
      launcher: 'Help',
      launcherLabel: 'Open the help chat',
      title: 'Help with your gallery',
      subtitle: 'Our assistant answers at once',
      close: 'Close the help chat',
      loading: 'Opening the chat…',
      failed: 'The chat could not be opened. Please check your connection and try again.',
      retry: 'Try again',
      busy: 'Many chats were opened from here just now. Please try again in a few minutes.',
    },
    de: {
      launcher: 'Hilfe',
      launcherLabel: 'Hilfe-Chat öffnen',
      title: 'Hilfe zu Ihrer Galerie',
      subtitle: 'Unser Assistent antwortet sofort',
      close: 'Hilfe-Chat schließen',
      loading: 'Der Chat wird geöffnet …',
      failed: 'Der Chat konnte nicht geöffnet werden. Bitte prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
      retry: 'Erneut versuchen',
      busy: 'Von hier wurden gerade viele Chats geöffnet. Bitte versuchen Sie es in ein paar Minuten erneut.',
    },
    fr: {
      launcher: 'Aide',
      launcherLabel: 'Ouvrir le chat d’aide',
      title: 'Aide pour votre galerie',
      subtitle: 'Notre assistant répond tout de suite',
      close: 'Fermer le chat d’aide',
      loading: 'Ouverture du chat…',
      failed: 'Le chat n’a pas pu s’ouvrir. Vérifiez votre connexion et réessayez.',
      retry: 'Réessayer',
      busy: 'Beaucoup de chats ont été ouverts d’ici à l’instant. Réessayez dans quelques minutes.',
    },
    nl: {
      launcher: 'Hulp',
      launcherLabel: 'Hulpchat openen',
      title: 'Hulp bij uw galerij',
      subtitle: 'Onze assistent antwoordt meteen',
      close: 'Hulpchat sluiten',
      loading: 'De chat wordt geopend…',
      failed: 'De chat kon niet worden geopend. Controleer uw verbinding en probeer het opnieuw.',
      retry: 'Opnieuw proberen',
      busy: 'Er zijn hier net veel chats geopend. Probeer het over een paar minuten opnieuw.',
    },
  };

  function languageOf(tag) {
    var language = String(tag || '').slice(0, 2).toLowerCase();
    return Object.prototype.hasOwnProperty.call(LOCALES, language) ? language : null;
  }

  /** The page's language: the embedding's choice, else the page's lang, else the browser's. */
  function initialLanguage() {
    var chosen = languageOf(script.getAttribute('data-locale')) || languageOf(document.documentElement.lang);
    if (chosen) return chosen;
    var preferred = navigator.languages || [navigator.language];
    for (var i = 0; i < preferred.length; i += 1) {
      var language = languageOf(preferred[i]);
      if (language) return language;
    }
    return 'en';
  }

  function readSession() {
    try {
      return JSON.parse(sessionStorage.getItem(STORAGE_KEY) || 'null') || {};
    } catch (error) {
      return {};
    }
  }

  function writeSession(changes) {
    var session = readSession();
    Object.keys(changes).forEach(function (key) {
      if (changes[key] === undefined) delete session[key];
      else session[key] = changes[key];
    });
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    } catch (error) {
      // Private modes may refuse storage: the chat works, it just does not survive a reload.
    }
  }

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) {
      node.append(child);
    });
    return node;
  }

  var SVG = 'http://www.w3.org/2000/svg';
  function chatIcon() {
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '22');
    svg.setAttribute('height', '22');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    var path = document.createElementNS(SVG, 'path');
    path.setAttribute('fill', 'currentColor');
    path.setAttribute('d', 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z');
    svg.append(path);
    return svg;
  }

  // The widget's own styles come from beside this script (no inline styles: the page's CSP holds).
  var style = element('link', { rel: 'stylesheet', href: config.styleUrl });
  if (config.styleNonce) style.setAttribute('nonce', config.styleNonce);
  document.head.append(style);

  var language = initialLanguage();
  var launcherText = element('span', { class: 'ghc-launcher__text' });
  var launcher = element('button', { type: 'button', class: 'ghc-launcher', 'aria-expanded': 'false', 'aria-controls': 'ghc-panel' }, [chatIcon(), launcherText]);
  var title = element('h2', { class: 'ghc-panel__title', id: 'ghc-title' });
  var subtitle = element('p', { class: 'ghc-panel__subtitle' });
  var closeButton = element('button', { type: 'button', class: 'ghc-panel__close' }, ['×']);
  var status = element('div', { class: 'ghc-panel__status', role: 'status' });
  var chat = element('div', { class: 'ghc-panel__chat' });
  var panel = element('section', { id: 'ghc-panel', class: 'ghc-panel', role: 'dialog', 'aria-labelledby': 'ghc-title', hidden: '' }, [
    element('header', { class: 'ghc-panel__header' }, [element('div', {}, [title, subtitle]), closeButton]),
    status,
    chat,
  ]);
  var root = element('div', { class: 'ghc-root', lang: language }, [panel, launcher]);
  document.body.append(root);

  function texts() {
    return TEXT[language];
  }

  function renderTexts() {
    var t = texts();
    root.setAttribute('lang', language);
    launcherText.textContent = t.launcher;
    // The launcher opens and closes the chat; its name says which it does now.
    launcher.setAttribute('aria-label', panel.hidden ? t.launcherLabel : t.close);
    title.textContent = t.title;
    subtitle.textContent = t.subtitle;
    closeButton.setAttribute('aria-label', t.close);
    closeButton.setAttribute('title', t.close);
  }

  function showStatus(message, retry) {
    status.replaceChildren();
    if (!message) {
      status.hidden = true;
      return;
    }
    status.hidden = false;
    status.append(element('p', {}, [message]));
    if (retry) {
      var again = element('button', { type: 'button', class: 'ghc-panel__retry' }, [texts().retry]);
      again.addEventListener('click', function () {
        connection = null;
        connect();
      });
      status.append(again);
    }
  }

  var bundle = null;
  function loadBundle() {
    if (window.WebChat) return Promise.resolve(window.WebChat);
    if (bundle) return bundle;
    bundle = new Promise(function (resolve, reject) {
      var tag = element('script', { src: config.bundleUrl, async: '' });
      tag.addEventListener('load', function () {
        resolve(window.WebChat);
      });
      tag.addEventListener('error', function () {
        bundle = null;
        reject(new Error('Web Chat could not be loaded'));
      });
      document.head.append(tag);
    });
    return bundle;
  }

  function postJson(url, body, token) {
    var headers = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    return fetch(url, { method: 'POST', headers: headers, body: body === undefined ? undefined : JSON.stringify(body) }).then(function (response) {
      if (!response.ok) {
        var error = new Error('HTTP ' + response.status);
        error.status = response.status;
        throw error;
      }
      return response.json();
    });
  }

  /**
   * The conversation to talk in: the one of this browser tab if its token can still be
   * refreshed (a reload goes on where it was), else a new one from the token endpoint.
   */
  function conversation() {
    var kept = readSession();
    var fresh = function () {
      return postJson(config.tokenUrl, { locale: LOCALES[language] }).then(function (grant) {
        writeSession({ token: grant.token, conversationId: undefined, watermark: undefined });
        return { token: grant.token, conversationId: null };
      });
    };
    if (!kept.token || !kept.conversationId) return fresh();
    return postJson(config.directLine + '/tokens/refresh', undefined, kept.token).then(
      function (grant) {
        writeSession({ token: grant.token });
        return { token: grant.token, conversationId: grant.conversationId || kept.conversationId };
      },
      function () {
        writeSession({ token: undefined, conversationId: undefined, watermark: undefined });
        return fresh();
      },
    );
  }

  var connection = null;
  var directLine = null;
  var store = null;

  function renderChat() {
    if (!directLine) return;
    window.WebChat.renderWebChat(
      {
        directLine: directLine,
        store: store,
        locale: LOCALES[language],
        nonce: config.styleNonce,
        styleOptions: {
          accent: '#1f5fa8',
          primaryFont: 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif',
          bubbleBorderRadius: 12,
          bubbleFromUserBorderRadius: 12,
          bubbleFromUserBackground: '#1f5fa8',
          bubbleFromUserTextColor: '#ffffff',
          bubbleMaxWidth: 560,
          hideUploadButton: true,
          suggestedActionLayout: 'flow',
          suggestedActionBorderRadius: 18,
          suggestedActionHeight: 40,
          richCardWrapTitle: true,
          sendBoxButtonColorOnHover: '#1f5fa8',
        },
      },
      chat,
    );
  }

  function connect() {
    if (connection) return connection;
    showStatus(texts().loading);
    connection = Promise.all([loadBundle(), conversation()])
      .then(function (results) {
        var WebChat = results[0];
        var grant = results[1];
        var options = { domain: config.directLine, token: grant.token, webSocket: true, conversationStartProperties: { locale: LOCALES[language] } };
        // Resuming: no watermark, so the stream replays the whole conversation and the history shows again.
        if (grant.conversationId) options.conversationId = grant.conversationId;
        directLine = WebChat.createDirectLine(options);
        store = WebChat.createStore({}, function () {
          return function (next) {
            return function (action) {
              if (action.type === 'DIRECT_LINE/CONNECT_FULFILLED' || action.type === 'DIRECT_LINE/INCOMING_ACTIVITY') {
                writeSession({ token: directLine.token, conversationId: directLine.conversationId, watermark: directLine.watermark || undefined });
              }
              return next(action);
            };
          };
        });
        // The client refreshes its token every 15 minutes; keep the latest, so a reload after a quiet spell still resumes.
        setInterval(function () {
          if (directLine.token) writeSession({ token: directLine.token });
        }, 60 * 1000);
        showStatus(null);
        renderChat();
        focusSendBox();
      })
      .catch(function (error) {
        connection = null;
        showStatus(error && error.status === 429 ? texts().busy : texts().failed, true);
      });
    return connection;
  }

  function focusSendBox(attempt) {
    var input = chat.querySelector('input[type="text"], textarea');
    if (input) {
      input.focus();
      return;
    }
    if ((attempt || 0) < 40) setTimeout(focusSendBox, 50, (attempt || 0) + 1);
  }

  function open() {
    panel.hidden = false;
    root.classList.add('ghc-root--open');
    launcher.setAttribute('aria-expanded', 'true');
    renderTexts();
    writeSession({ open: true });
    if (directLine) focusSendBox();
    else closeButton.focus();
    connect();
  }

  function close() {
    panel.hidden = true;
    root.classList.remove('ghc-root--open');
    launcher.setAttribute('aria-expanded', 'false');
    renderTexts();
    writeSession({ open: undefined });
    launcher.focus();
  }

  launcher.addEventListener('click', function () {
    if (panel.hidden) open();
    else close();
  });
  closeButton.addEventListener('click', close);
  panel.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      close();
    }
  });

  renderTexts();
  // A reload while the chat was open opens it again, in the same conversation.
  if (readSession().open) open();

  /** For the embedding page: `GalleryHelpChat.setLocale('de-DE')` when its language changes. */
  window.GalleryHelpChat = {
    setLocale: function (locale) {
      var next = languageOf(locale);
      if (!next || next === language) return;
      language = next;
      renderTexts();
      renderChat();
    },
    open: open,
    close: close,
  };
})();
