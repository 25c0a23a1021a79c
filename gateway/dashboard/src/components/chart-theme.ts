/** Chart colours come from the stylesheet's custom properties, so light, dark and wall modes agree. */
export function cssColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/** Calls `onSize` with the element's content size now and whenever it changes. */
export function observeSize(
  element: HTMLElement,
  onSize: (width: number, height: number) => void,
): () => void {
  const observer = new ResizeObserver(() => onSize(element.clientWidth, element.clientHeight));
  observer.observe(element);
  onSize(element.clientWidth, element.clientHeight);
  return () => observer.disconnect();
}

/** "#1f6feb" with an alpha, for fills under lines (other colour forms are returned as they are). */
export function withAlpha(color: string, alpha: number): string {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!match) return color;
  const [r, g, b] = match.slice(1).map((h) => parseInt(h, 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** The root font size in pixels, which wall mode raises: canvas text follows it. */
export function rootFontPx(): number {
  return parseFloat(getComputedStyle(document.documentElement).fontSize) || 15;
}

/** Calls `onChange` when the root element's class changes (wall mode on or off). */
export function observeRootClass(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class'] });
  return () => observer.disconnect();
}
