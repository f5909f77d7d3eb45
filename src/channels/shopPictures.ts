import type { ShopPicture } from './replyModel.js';

/**
 * Small drawings of the three shop screens, so a customer can point at the one they
 * see. They are inline SVG data URLs: no file server, nothing to download, and the
 * text is in the customer's own language.
 */
const ACCENT: Record<ShopPicture, string> = {
  'almost-ready': '#2f6fb2',
  'incorrect-code': '#c0392b',
  'missed-sale': '#8e5bb5',
};

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Breaks the message into lines of about 30 characters for the drawing. */
function wrap(text: string, width = 30): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines.slice(0, 4);
}

export function shopPictureUrl(symptom: ShopPicture, shopMessage: string): string {
  const accent = ACCENT[symptom];
  const lines = wrap(shopMessage);
  const text = lines
    .map((line, index) => `<text x="20" y="${62 + index * 22}" font-size="17" fill="${accent}" font-weight="600">${escapeXml(line)}</text>`)
    .join('');
  // The form sits right under the message, as on the shop page, so the picture has no empty band.
  const top = 62 + (lines.length - 1) * 22 + 24;
  const form =
    symptom === 'incorrect-code'
      ? `<rect x="20" y="${top}" width="220" height="28" rx="4" fill="#fff" stroke="#c0392b"/><rect x="250" y="${top}" width="70" height="28" rx="4" fill="#555"/>`
      : `<rect x="20" y="${top}" width="300" height="18" rx="3" fill="#fff" stroke="#bbb"/><rect x="20" y="${top + 26}" width="300" height="18" rx="3" fill="#fff" stroke="#bbb"/>` +
        `<rect x="20" y="${top + 52}" width="90" height="22" rx="4" fill="${accent}"/>`;
  const height = top + (symptom === 'incorrect-code' ? 28 : 74) + 20;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="340" height="${height}" viewBox="0 0 340 ${height}" font-family="Helvetica, Arial, sans-serif">` +
    `<rect width="340" height="${height}" rx="10" fill="#f4f5f7"/><rect width="340" height="30" rx="10" fill="#dfe3e8"/>` +
    '<circle cx="18" cy="15" r="5" fill="#e96b5c"/><circle cx="34" cy="15" r="5" fill="#f2c14e"/><circle cx="50" cy="15" r="5" fill="#7bc67b"/>' +
    text +
    form +
    '</svg>';
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}
