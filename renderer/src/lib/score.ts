/**
 * Which way a search score points for a collection's distance: Qdrant returns a similarity for Cosine and
 * Dot (higher is nearer) and a distance for Euclid and Manhattan (lower is nearer).
 */
export type ScoreDirection = 'higher' | 'lower';

export function scoreDirection(distance: string | null | undefined): ScoreDirection | null {
  switch (distance) {
    case 'Cosine':
    case 'Dot':
      return 'higher';
    case 'Euclid':
    case 'Manhattan':
      return 'lower';
    default:
      return null;
  }
}

export function scoreDirectionText(direction: ScoreDirection): string {
  return direction === 'higher' ? 'higher is better' : 'lower is better';
}
