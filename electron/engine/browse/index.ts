/** The points browser and collection views behind getCollectionInfo / scrollPoints / getPoint / findSimilar / listCollections / payloadKeys / countPoints. */
export { getCollectionInfo } from './collection';
export { scrollPoints, getPoint, findPoint, findSimilar, buildFilter, matchValue, type BrowseTarget } from './points';
export { sourceVectorFor, vectorForLabel, type SourceVectorDeps } from './source-vector';
export { toPointView, idForQdrant } from './point-view';
export { listCollections } from './collections';
export { payloadKeys } from './payload-keys';
export { countPoints } from './count';
