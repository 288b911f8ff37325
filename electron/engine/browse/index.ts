/** The points browser and collection view behind getCollectionInfo / scrollPoints / getPoint / findSimilar. */
export { getCollectionInfo } from './collection';
export { scrollPoints, getPoint, findSimilar, buildFilter, matchValue, type BrowseTarget } from './points';
export { sourceVectorFor, vectorForLabel, type SourceVectorDeps } from './source-vector';
export { toPointView, idForQdrant } from './point-view';
