/**
 * What every FAISS four-character code is, and why the ones we do not read are refused. Refusals name the
 * class and the code in one line so a user knows what they have and what to do about it.
 */

/** Index types this reader turns into float vectors. */
export const SUPPORTED: Record<string, string> = {
  IxF2: 'IndexFlatL2',
  IxFI: 'IndexFlatIP',
  IxFl: 'IndexFlat',
  IxMp: 'IndexIDMap',
  IxM2: 'IndexIDMap2',
  IHNf: 'IndexHNSWFlat',
  IHNs: 'IndexHNSWSQ',
  IHNp: 'IndexHNSWPQ',
  IwFl: 'IndexIVFFlat',
  IwSq: 'IndexIVFScalarQuantizer',
  IwSQ: 'IndexIVFScalarQuantizer',
  IxSQ: 'IndexScalarQuantizer',
  IxPq: 'IndexPQ',
  IxPQ: 'IndexPQ',
  IxPo: 'IndexPQ',
  IwPQ: 'IndexIVFPQ',
  IxRF: 'IndexRefine',
};

const BINARY: Record<string, string> = {
  IBxF: 'IndexBinaryFlat',
  IBMp: 'IndexBinaryIDMap',
  IBM2: 'IndexBinaryIDMap2',
  IBHf: 'IndexBinaryHNSW',
  IBHc: 'IndexBinaryHNSWCagra',
  IBwF: 'IndexBinaryIVF',
  IBFf: 'IndexBinaryFromFloat',
  IBHh: 'IndexBinaryHash',
  IBHm: 'IndexBinaryMultiHash',
};

/** Known float index types this reader does not decode, with the reason a user sees. */
const UNSUPPORTED: Record<string, [string, string]> = {
  IxHe: ['IndexLSH', 'keeps only one bit per dimension, so the original vectors cannot be recovered from it'],
  IxHE: ['IndexLSH', 'keeps only one bit per dimension, so the original vectors cannot be recovered from it'],
  IxFP: ['IndexFlatL2Panorama', 'uses the Panorama level-blocked layout, which this reader does not decode yet'],
  IxFp: ['IndexFlatIPPanorama', 'uses the Panorama level-blocked layout, which this reader does not decode yet'],
  IHfP: ['IndexHNSWFlatPanorama', 'uses the Panorama layout, which this reader does not decode yet'],
  IwPn: ['IndexIVFFlatPanorama', 'uses the Panorama layout, which this reader does not decode yet'],
  IwP2: ['IndexIVFFlatPanorama', 'uses the Panorama layout, which this reader does not decode yet'],
  IxRP: ['IndexRefinePanorama', 'uses the Panorama layout, which this reader does not decode yet'],
  IHNc: ['IndexHNSWCagra', 'is not supported yet'],
  IHc2: ['IndexHNSWCagra', 'is not supported yet'],
  IHN2: ['IndexHNSW2Level', 'is not supported yet'],
  IH00: ['IndexHNSW', 'is not supported yet'],
  IwFd: ['IndexIVFFlatDedup', 'is not supported yet'],
  IvFl: ['IndexIVFFlat (pre-2018 layout)', 'is not supported yet'],
  IvFL: ['IndexIVFFlat (pre-2018 layout)', 'is not supported yet'],
  IwQR: ['IndexIVFPQR', 'is not supported yet'],
  IwPf: ['IndexIVFPQFastScan', 'stores block-interleaved 4-bit codes, which this reader does not decode yet'],
  IPfs: ['IndexPQFastScan', 'stores block-interleaved 4-bit codes, which this reader does not decode yet'],
  IxPT: ['IndexPreTransform', 'is not supported yet'],
  IxLa: ['IndexLattice', 'is not supported yet'],
  Ix2L: ['Index2Layer', 'is not supported yet'],
  IwSh: ['IndexIVFSpectralHash', 'keeps only bits per dimension, so the original vectors cannot be recovered from it'],
  IxRQ: ['IndexResidualQuantizer', 'is not supported yet'],
  IxLS: ['IndexLocalSearchQuantizer', 'is not supported yet'],
  IwRQ: ['IndexIVFResidualQuantizer', 'is not supported yet'],
  IwLS: ['IndexIVFLocalSearchQuantizer', 'is not supported yet'],
  Ixrq: ['IndexRaBitQ', 'is not supported yet'],
  Iwrq: ['IndexIVFRaBitQ', 'is not supported yet'],
  Ixrr: ['IndexRaBitQFastScan', 'is not supported yet'],
  IwIQ: ['IndexIVFIndependentQuantizer', 'is not supported yet'],
  IxEe: ['IndexEDEN', 'is not supported yet'],
  IwEe: ['IndexIVFEDEN', 'is not supported yet'],
  IxSh: ['IndexShards', 'is not supported yet'],
  IxRp: ['IndexReplicas', 'is not supported yet'],
};

const REBUILD_HINT = 'to migrate it, reconstruct the vectors with FAISS and save them as an IndexFlat or IndexIDMap2(IndexFlat)';

/** Printable form of 4 raw bytes for messages: the chars if printable ASCII, else hex. */
export function showFourcc(bytes: Buffer | string): string {
  const b = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  const printable = [...b].every((c) => c >= 0x20 && c < 0x7f);
  return printable ? `"${b.toString('latin1')}"` : `bytes ${[...b].map((c) => c.toString(16).padStart(2, '0')).join(' ')}`;
}

/** The one-line reason a known-but-unreadable or unknown code is refused, or null if it is supported. */
export function refusalFor(fourcc: string): string | null {
  if (SUPPORTED[fourcc]) return null;
  const bin = BINARY[fourcc];
  if (bin) return `${bin} (${fourcc}) holds binary codes, which Qdrant cannot store as float vectors`;
  const known = UNSUPPORTED[fourcc];
  if (known) return `${known[0]} (${fourcc}) ${known[1]}; ${REBUILD_HINT}`;
  if (fourcc.startsWith('IB')) return `binary index type (${fourcc}) holds binary codes, which Qdrant cannot store as float vectors`;
  return `unknown index type code ${showFourcc(fourcc)}: not a FAISS index type this reader knows`;
}

export const SQ_TYPES: Record<number, string> = {
  0: 'QT_8bit',
  1: 'QT_4bit',
  2: 'QT_8bit_uniform',
  3: 'QT_4bit_uniform',
  4: 'QT_fp16',
  5: 'QT_8bit_direct',
  6: 'QT_6bit',
  7: 'QT_bf16',
  8: 'QT_8bit_direct_signed',
};

export const METRICS: Record<number, string> = {
  0: 'INNER_PRODUCT',
  1: 'L2',
  2: 'L1',
  3: 'Linf',
  4: 'Lp',
  20: 'Canberra',
  21: 'BrayCurtis',
  22: 'JensenShannon',
  23: 'Jaccard',
  24: 'NaNEuclidean',
};
