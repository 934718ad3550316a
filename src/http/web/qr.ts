import { encode } from "uqr";
import { escapeHtml, type Html, trusted } from "./html.js";

/**
 * The share link as an inline SVG QR code, drawn on the server so that it shows without JavaScript
 * and needs no image request. One path of horizontal runs keeps it to a few kilobytes. The input is
 * a URL we built ourselves; the output holds only numbers, so it is safe to mark as trusted.
 */
export function qrSvg(text: string, { label }: { label: string }): Html {
  const { data, size } = encode(text, { ecc: "M", border: 2 });
  let d = "";
  data.forEach((row, y) => {
    let x = 0;
    while (x < size) {
      if (!row[x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < size && row[x]) x++;
      d += `M${start} ${y}h${x - start}v1h${start - x}z`;
    }
  });
  const title = escapeHtml(label);
  return trusted(
    `<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" role="img" aria-label="${title}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path fill="#000" d="${d}"/></svg>`,
  );
}
