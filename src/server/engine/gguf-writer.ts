// The serialising half of the tiny model (S3): a GGUF v3 file, little endian, F32 tensors only.
// Kept apart from the model's layout (tiny-model.ts) so that each file has one job. The byte
// order of every field matches the reference writer exactly: the tiny model's sha256 is pinned by
// a test, so any change here shows.

/** GGUF metadata value types (the subset the tiny model writes). */
export const GgufType = Object.freeze({
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
} as const);

type ScalarType = (typeof GgufType)[Exclude<keyof typeof GgufType, "ARRAY">];

/** One metadata entry: a scalar, or an array of scalars of one type. */
export type GgufMetadataValue =
  | { readonly type: ScalarType; readonly value: number | string | boolean }
  | {
      readonly type: typeof GgufType.ARRAY;
      readonly itemType: ScalarType;
      readonly value: readonly (number | string | boolean)[];
    };

/**
 * One F32 tensor; `dims` in ggml order (the contiguous dimension first). `data` is called once, when
 * the tensor's turn comes in the file, so a large model is never whole in memory.
 */
export interface GgufTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: () => Float32Array;
}

const GGML_TYPE_F32 = 0;
const encoder = new TextEncoder();

/** Appends little-endian fields to a list of byte chunks, then joins them once. */
class ByteWriter {
  private readonly chunks: Uint8Array[] = [];
  length = 0;

  push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  private fixed(size: number, write: (view: DataView) => void): void {
    const bytes = new Uint8Array(size);
    write(new DataView(bytes.buffer));
    this.push(bytes);
  }

  u32(v: number): void {
    this.fixed(4, (d) => d.setUint32(0, v, true));
  }
  i32(v: number): void {
    this.fixed(4, (d) => d.setInt32(0, v, true));
  }
  u64(v: number): void {
    this.fixed(8, (d) => d.setBigUint64(0, BigInt(v), true));
  }
  f32(v: number): void {
    this.fixed(4, (d) => d.setFloat32(0, v, true));
  }
  bool(v: boolean): void {
    this.push(Uint8Array.of(v ? 1 : 0));
  }
  str(s: string): void {
    const bytes = encoder.encode(s);
    this.u64(bytes.length);
    this.push(bytes);
  }
  pad(alignment: number): void {
    const rest = this.length % alignment;
    if (rest !== 0) this.push(new Uint8Array(alignment - rest));
  }

  toBytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

const hostIsLittleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** The tensor's bytes in file order, whatever the host's byte order (no copy on little-endian hosts). */
function littleEndianF32(data: Float32Array): Uint8Array {
  if (hostIsLittleEndian) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const bytes = new Uint8Array(data.byteLength);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return bytes;
}

function writeScalar(w: ByteWriter, type: ScalarType, value: number | string | boolean): void {
  switch (type) {
    case GgufType.UINT32:
      return w.u32(value as number);
    case GgufType.INT32:
      return w.i32(value as number);
    case GgufType.FLOAT32:
      return w.f32(value as number);
    case GgufType.BOOL:
      return w.bool(value as boolean);
    case GgufType.STRING:
      return w.str(value as string);
    case GgufType.UINT64:
      return w.u64(value as number);
  }
}

/** A GGUF v3 file as it is written: its size, then its bytes piece by piece. */
export interface GgufFile {
  readonly size: number;
  chunks(): Generator<Uint8Array>;
}

/**
 * Lays out a GGUF v3 file: header, metadata in insertion order, tensor infos, then the tensor
 * data, each piece padded to `alignment` (which the metadata must also state as `general.alignment`).
 */
export function layOutGguf(
  metadata: ReadonlyMap<string, GgufMetadataValue>,
  tensors: readonly GgufTensor[],
  alignment: number,
): GgufFile {
  const w = new ByteWriter();
  w.push(encoder.encode("GGUF"));
  w.u32(3);
  w.u64(tensors.length);
  w.u64(metadata.size);
  for (const [key, entry] of metadata) {
    w.str(key);
    w.u32(entry.type);
    if (entry.type === GgufType.ARRAY) {
      w.u32(entry.itemType);
      w.u64(entry.value.length);
      for (const item of entry.value) writeScalar(w, entry.itemType, item);
    } else {
      writeScalar(w, entry.type, entry.value);
    }
  }
  const padded = (bytes: number) => Math.ceil(bytes / alignment) * alignment;
  let offset = 0;
  for (const tensor of tensors) {
    w.str(tensor.name);
    w.u32(tensor.dims.length);
    for (const dim of tensor.dims) w.u64(dim);
    w.u32(GGML_TYPE_F32);
    w.u64(offset);
    offset += padded(elementCount(tensor) * 4);
  }
  w.pad(alignment);
  const header = w.toBytes();
  return {
    size: header.length + offset,
    *chunks() {
      yield header;
      for (const tensor of tensors) {
        const data = tensor.data();
        if (data.length !== elementCount(tensor)) {
          throw new RangeError(`Tensor ${tensor.name}: dims and data disagree.`);
        }
        yield littleEndianF32(data);
        const padding = padded(data.byteLength) - data.byteLength;
        if (padding > 0) yield new Uint8Array(padding);
      }
    },
  };
}

/** The whole file in memory (small models; `layOutGguf` streams large ones). */
export function serializeGguf(
  metadata: ReadonlyMap<string, GgufMetadataValue>,
  tensors: readonly GgufTensor[],
  alignment: number,
): Uint8Array {
  const file = layOutGguf(metadata, tensors, alignment);
  const out = new Uint8Array(file.size);
  let offset = 0;
  for (const chunk of file.chunks()) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

export function elementCount(tensor: Pick<GgufTensor, "dims">): number {
  return tensor.dims.reduce((a, b) => a * b, 1);
}
