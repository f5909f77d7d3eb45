/*
 * The demo shop page: its texts in the chosen language (English, German, French, Dutch),
 * by default the browser's. The help chat follows the page's language.
 */
(function () {
  'use strict';

  var TEXT = {
    en: {
      language: 'Language',
      heading: 'Your school and event photos',
      lead: 'Enter the access code from your card or letter to see your photos and order prints.',
      codeLabel: 'Access code',
      codePlaceholder: 'e.g. ABCD 1234',
      open: 'Open gallery',
      demoNote: 'This is a demo shop: it has no galleries. If yours won’t open, the help chat can tell you why.',
      helpTitle: 'Gallery won’t open?',
      helpText: 'Choose “Help” at the bottom of the screen: our assistant checks your access code and explains what is going on, in a minute.',
      footer: 'Demo shop of the Gallery Access Assistant',
      title: 'Picture Day Photos – Shop',
    },
    de: {
      language: 'Sprache',
      heading: 'Ihre Schul- und Eventfotos',
      lead: 'Geben Sie den Zugangscode von Ihrer Karte oder Ihrem Brief ein, um Ihre Fotos zu sehen und Abzüge zu bestellen.',
      codeLabel: 'Zugangscode',
      codePlaceholder: 'z. B. ABCD 1234',
      open: 'Galerie öffnen',
      demoNote: 'Dies ist ein Demo-Shop ohne Galerien. Wenn sich Ihre Galerie nicht öffnet, erklärt Ihnen der Hilfe-Chat, warum.',
      helpTitle: 'Ihre Galerie öffnet sich nicht?',
      helpText: 'Wählen Sie unten „Hilfe“: Unser Assistent prüft Ihren Zugangscode und erklärt Ihnen in einer Minute, woran es liegt.',
      footer: 'Demo-Shop des Gallery Access Assistant',
      title: 'Picture Day Photos – Shop',
    },
    fr: {
      language: 'Langue',
      heading: 'Vos photos scolaires et d’événements',
      lead: 'Saisissez le code d’accès de votre carte ou de votre lettre pour voir vos photos et commander des tirages.',
      codeLabel: 'Code d’accès',
      codePlaceholder: 'p. ex. ABCD 1234',
      open: 'Ouvrir la galerie',
      demoNote: 'Ceci est une boutique de démonstration sans galeries. Si la vôtre ne s’ouvre pas, le chat d’aide vous explique pourquoi.',
      helpTitle: 'Votre galerie ne s’ouvre pas\u202f?',
      helpText: 'Choisissez «\u00a0Aide\u00a0» en bas de l’écran\u00a0: notre assistant vérifie votre code d’accès et vous explique en une minute ce qui se passe.',
      footer: 'Boutique de démonstration du Gallery Access Assistant',
      title: 'Picture Day Photos – Boutique',
    },
    nl: {
      language: 'Taal',
      heading: 'Uw school- en evenementfoto’s',
      lead: 'Voer de toegangscode van uw kaart of brief in om uw foto’s te bekijken en afdrukken te bestellen.',
      codeLabel: 'Toegangscode',
      codePlaceholder: 'bijv. ABCD 1234',
      open: 'Galerij openen',
      demoNote: 'Dit is een demowinkel zonder galerijen. Gaat uw galerij niet open, dan legt de hulpchat uit waarom.',
      helpTitle: 'Gaat uw galerij niet open?',
      helpText: 'Kies onderaan “Hulp”: onze assistent controleert uw toegangscode en legt binnen een minuut uit wat er aan de hand is.',
      footer: 'Demowinkel van de Gallery Access Assistant',
      title: 'Picture Day Photos – Winkel',
    },
  };
  var LOCALES = { en: 'en-US', de: 'de-DE', fr: 'fr-FR', nl: 'nl-NL' };
  var KEY = 'shop-language';

  function supported(tag) {
    var language = String(tag || '').slice(0, 2).toLowerCase();
    return Object.prototype.hasOwnProperty.call(TEXT, language) ? language : null;
  }

  function initialLanguage() {
    var kept = null;
    try {
      kept = supported(sessionStorage.getItem(KEY));
    } catch (error) {
      kept = null;
    }
    if (kept) return kept;
    var preferred = navigator.languages || [navigator.language];
    for (var i = 0; i < preferred.length; i += 1) {
      if (supported(preferred[i])) return supported(preferred[i]);
    }
    return 'en';
  }

  function apply(language) {
    var text = TEXT[language];
    document.documentElement.lang = language;
    document.title = text.title;
    document.querySelectorAll('[data-text]').forEach(function (node) {
      node.textContent = text[node.getAttribute('data-text')];
    });
    document.querySelectorAll('[data-placeholder]').forEach(function (node) {
      node.setAttribute('placeholder', text[node.getAttribute('data-placeholder')]);
    });
    select.value = language;
    if (window.GalleryHelpChat) window.GalleryHelpChat.setLocale(LOCALES[language]);
  }

  var select = document.getElementById('shop-language');
  select.addEventListener('change', function () {
    try {
      sessionStorage.setItem(KEY, select.value);
    } catch (error) {
      // Without storage the choice lasts until the next page.
    }
    apply(select.value);
  });

  document.getElementById('shop-login').addEventListener('submit', function (event) {
    event.preventDefault();
    document.getElementById('shop-note').hidden = false;
  });

  apply(initialLanguage());
})();
