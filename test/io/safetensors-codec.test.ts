import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { numberFromBf16, numberFromF16 } from "../../ts/backend/half";
import { describe, expect, it } from "vitest";
import type { DType, TypedArray } from "../../ts/backend/types";
import { decodeSafetensors, encodeSafetensors, type RawTensor } from "../../ts/io/safetensors-codec";

const FIXTURES = fileURLToPath(new URL("../fixtures/safetensors/", import.meta.url));

type Spec = {
  metadata: Record<string, string> | null;
  tensors: { name: string; dtype: DType; shape: number[]; values: number[] }[];
};

function fixture(stem: string): { bytes: Uint8Array; spec: Spec } {
  return {
    bytes: new Uint8Array(readFileSync(`${FIXTURES}${stem}.safetensors`)),
    spec: JSON.parse(readFileSync(`${FIXTURES}${stem}.json`, "utf8")) as Spec,
  };
}

function storage(dtype: DType, values: ArrayLike<number>): TypedArray {
  switch (dtype) {
    case "float32":
      return Float32Array.from(values);
    case "float64":
      return Float64Array.from(values);
    case "int32":
      return Int32Array.from(values);
    case "bool":
      return Uint8Array.from(values);
    case "bfloat16":
    case "float16":
      return Uint16Array.from(values);
  }
}

const raw = (dtype: DType, shape: number[], values: number[]): RawTensor => ({ dtype, shape, data: storage(dtype, values) });

const u64le = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >> 24) & 0xff, 0, 0, 0, 0];
const ascii = (s: string): number[] => [...new TextEncoder().encode(s)];
const f32le = (vals: number[]): number[] => [...new Uint8Array(Float32Array.from(vals).buffer)];

/** Builds a file from a raw header string and data bytes (header padded like the reference does). */
function file(header: string, data: number[] = [], pad = true): Uint8Array {
  let h = ascii(header);
  if (pad) while (h.length % 8 !== 0) h = [...h, 0x20];
  return Uint8Array.from([...u64le(h.length), ...h, ...data]);
}

describe("encodeSafetensors / decodeSafetensors round trip", () => {
  it("keeps every dtype, scalars, empty tensors, non-ASCII and odd names, metadata", () => {
    const tensors: Record<string, RawTensor> = {
      w: raw("float32", [2, 3], [1, -2.5, Math.fround(0.1), NaN, Infinity, -0]),
      d: raw("float64", [3], [0.1, -1e300, Number.MIN_VALUE]),
      i: raw("int32", [2, 2], [0, -1, 2147483647, -2147483648]),
      b: raw("bool", [3], [1, 0, 1]),
      s: raw("float32", [], [3.5]),
      si: raw("int32", [], [-9]),
      sb: raw("bool", [], [1]),
      e0: raw("float32", [0], []),
      e1: raw("float64", [2, 0, 5], []),
      e2: raw("bool", [0], []),
      "名前.ü": raw("float32", [1], [7]),
      "emoji 😀": raw("int32", [1], [5]),
      "": raw("float32", [1], [1]),
      "quote\"back\\slash\nnewline\u0001": raw("float32", [1], [2]),
      __proto__x: raw("float32", [1], [3]),
    };
    const metadata = { format: "pt", "ключ": "значение", empty: "" };
    const bytes = encodeSafetensors(tensors, metadata);
    const out = decodeSafetensors(bytes);
    expect(out.metadata).toEqual(metadata);
    expect(Object.keys(out.tensors).sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, t] of Object.entries(tensors)) {
      const got = out.tensors[name];
      expect(got.dtype, name).toBe(t.dtype);
      expect(got.shape, name).toEqual(t.shape);
      expect(got.data.constructor, name).toBe(t.data.constructor);
      expect(Array.from(got.data), name).toEqual(Array.from(t.data));
    }
    expect(Object.is(out.tensors.w.data[5], -0)).toBe(true);
  });

  it("aligns the data start to 8 bytes and pads the header with spaces", () => {
    for (let len = 1; len < 20; len++) {
      const bytes = encodeSafetensors({ ["x".repeat(len)]: raw("float64", [1], [1]) });
      const n = new DataView(bytes.buffer).getUint32(0, true);
      expect(n % 8).toBe(0);
      const header = new TextDecoder().decode(bytes.subarray(8, 8 + n));
      expect(header).toMatch(/^\{.*\} *$/);
    }
  });

  it("normalises bool storage to 0/1 on write and on read", () => {
    const bytes = encodeSafetensors({ b: { dtype: "bool", shape: [3], data: Uint8Array.from([0, 7, 255]) } });
    expect(Array.from(bytes.subarray(bytes.length - 3))).toEqual([0, 1, 1]);
    const hostile = file('{"b":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}}', [0, 9]);
    expect(Array.from(decodeSafetensors(hostile).tensors.b.data)).toEqual([0, 1]);
  });

  it("writes no __metadata__ without metadata, and an empty one when given {}", () => {
    const h = (b: Uint8Array) => new TextDecoder().decode(b.subarray(8, 8 + new DataView(b.buffer).getUint32(0, true)));
    expect(h(encodeSafetensors({}))).toBe("{}      ");
    expect(h(encodeSafetensors({}, {}))).toBe('{"__metadata__":{}}     ');
  });

  it("refuses what it cannot write faithfully", () => {
    expect(() => encodeSafetensors({ __metadata__: raw("float32", [1], [1]) })).toThrow(/cannot be named "__metadata__"/);
    expect(() => encodeSafetensors({ x: raw("float32", [2, 2], [1, 2, 3]) })).toThrow(/shape \[2, 2\] \(4 elements\) but 3 values/);
    expect(() => encodeSafetensors({ x: { dtype: "float32", shape: [1], data: new Float64Array(1) } })).toThrow(/Float32Array/);
    expect(() => encodeSafetensors({ x: raw("float32", [-1], []) })).toThrow(/invalid shape/);
    expect(() => encodeSafetensors({ "\ud800": raw("float32", [1], [1]) })).toThrow(/lone surrogate/);
  });
});

describe("the reference library's layout", () => {
  // Byte vectors from the reference implementation's unit tests (safetensors/src/tensor.rs).
  it("matches its serialization of one F32 tensor, with and without padding", () => {
    const data = [0, 1, 2, 3, 4, 5];
    const h1 = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    expect(Array.from(encodeSafetensors({ "attn.0": raw("float32", [1, 2, 3], data) }))).toEqual([
      ...u64le(64), ...ascii(h1), ...f32le(data),
    ]);
    const h2 = '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       ';
    expect(Array.from(encodeSafetensors({ attn0: raw("float32", [1, 1, 2, 3], data) }))).toEqual([
      ...u64le(72), ...ascii(h2), ...f32le(data),
    ]);
  });

  it("matches its serialization of no tensors, with and without metadata", () => {
    expect(Array.from(encodeSafetensors({}))).toEqual([...u64le(8), ...ascii("{}      ")]);
    expect(Array.from(encodeSafetensors({}, { framework: "pt" }))).toEqual([
      ...u64le(40), ...ascii('{"__metadata__":{"framework":"pt"}}     '),
    ]);
  });

  it("orders tensors by descending dtype rank (F64, F32, I32, BOOL), then by name in code point order", () => {
    const bytes = encodeSafetensors({
      b: raw("bool", [1], [1]),
      a_i: raw("int32", [1], [1]),
      z: raw("float64", [1], [1]),
      "\uff5e": raw("float32", [1], [1]), // U+FF5E sorts before U+1F600 by code point, after it by UTF-16 unit
      "😀": raw("float32", [1], [1]),
      B: raw("float32", [1], [1]),
    });
    const names = Object.keys(decodeSafetensors(bytes).tensors);
    expect(names).toEqual(["z", "B", "\uff5e", "😀", "a_i", "b"]);
  });

  it("equals, byte for byte, the fixture written from PyTorch tensors (test/reference/gen_safetensors.py)", () => {
    const { bytes, spec } = fixture("ours");
    const tensors: Record<string, RawTensor> = {};
    for (const t of spec.tensors) tensors[t.name] = raw(t.dtype, t.shape, t.values);
    const ours = encodeSafetensors(tensors, spec.metadata ?? undefined);
    expect(Buffer.from(ours).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe("reading files written from PyTorch", () => {
  for (const stem of ["ours", "torch_dtypes"]) {
    it(`${stem}.safetensors decodes to the recorded values, in the file's order`, () => {
      const { bytes, spec } = fixture(stem);
      const out = decodeSafetensors(bytes);
      expect(out.metadata).toEqual(spec.metadata ?? {});
      const header = new TextDecoder().decode(bytes.subarray(8, 8 + new DataView(bytes.buffer).getUint32(0, true)));
      const fileOrder = spec.tensors.map((t) => t.name).sort((a, b) => header.indexOf(JSON.stringify(a)) - header.indexOf(JSON.stringify(b)));
      expect(Object.keys(out.tensors)).toEqual(fileOrder);
      for (const t of spec.tensors) {
        const got = out.tensors[t.name];
        // The fixtures record 16-bit floats by value (as float32): they decode to their words.
        const half = got.dtype === "bfloat16" || got.dtype === "float16";
        expect(half ? "float32" : got.dtype, t.name).toBe(t.dtype);
        expect(got.shape, t.name).toEqual(t.shape);
        const decoded = half ? Array.from(got.data, (w) => (got.dtype === "bfloat16" ? numberFromBf16(w) : numberFromF16(w))) : Array.from(got.data);
        expect(decoded, t.name).toEqual(Array.from(storage(t.dtype, t.values)));
      }
    });
  }

  it("refuses an int64 that int32 cannot hold", () => {
    expect(() => decodeSafetensors(fixture("int64_overflow").bytes)).toThrow(
      'safetensors: tensor "ids" holds I64 value 1099511627776 at element 1, outside int32',
    );
  });

  it("converts U32/U64 that fit and refuses those that do not", () => {
    const u64 = (lo: number, hi: number) => [...new Uint8Array(new Uint32Array([lo, hi]).buffer)];
    const ok = file('{"a":{"dtype":"U64","shape":[1],"data_offsets":[0,8]},"b":{"dtype":"U32","shape":[1],"data_offsets":[8,12]}}', [
      ...u64(2147483647, 0), 1, 0, 0, 0,
    ]);
    expect(Array.from(decodeSafetensors(ok).tensors.a.data)).toEqual([2147483647]);
    const neg = file('{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}', u64(0x80000000, 0xffffffff));
    expect(Array.from(decodeSafetensors(neg).tensors.a.data)).toEqual([-2147483648]);
    const big = file('{"a":{"dtype":"U64","shape":[1],"data_offsets":[0,8]}}', u64(0x80000000, 0));
    expect(() => decodeSafetensors(big)).toThrow(/U64 value 2147483648/);
    const bigNeg = file('{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}', u64(0x7fffffff, 0xffffffff));
    expect(() => decodeSafetensors(bigNeg)).toThrow(/I64 value -2147483649/);
  });
});

describe("decodeSafetensors refuses hostile input with a clear error", () => {
  const F32_2x2 = '{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}';
  const sixteen = new Array<number>(16).fill(0);
  const cases: [string, Uint8Array, string | RegExp][] = [
    ["a file shorter than 8 bytes", Uint8Array.from([1, 2, 3]), "safetensors: file is 3 bytes, too short for the 8-byte header length"],
    ["a header length beyond the cap", Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 1, 0x7b]), /header length 72057594037927936 exceeds the 100000000-byte limit/],
    ["a header length past the end", Uint8Array.from([...u64le(100), ...ascii("{}")]), "safetensors: header length 100 runs past the end of the file (10 bytes)"],
    ["invalid UTF-8", Uint8Array.from([...u64le(2), 0xc3, 0x28]), "safetensors: header is not valid UTF-8"],
    ["invalid JSON", file("{nope}"), /header is not valid JSON: expected a string key/],
    ["trailing garbage", file("{} x"), /header is not valid JSON: unexpected trailing characters/],
    ["NUL padding", file("{}\0\0\0\0\0\0", [], false), /header is not valid JSON/],
    ["a byte-order mark", Uint8Array.from([...u64le(8), 0xef, 0xbb, 0xbf, ...ascii("{}   ")]), /header is not valid JSON/],
    ["a header that is an array", file("[1,2]"), "safetensors: header is not a JSON object"],
    ["a lone surrogate escape", file('{"\\ud800":1}'), /lone high surrogate/],
    ["deep nesting", file(`{"a":${"[".repeat(5000)}${"]".repeat(5000)}}`), /nesting deeper than/],
    ["duplicate tensor names", file(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, new Array<number>(8).fill(0)), /duplicate key "w"/],
    ["an unknown dtype", file('{"w":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}}', [0, 0, 0, 0]), 'safetensors: tensor "w" has unknown dtype "F33"'],
    ["an unsupported dtype", file('{"w":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}', [0]), 'safetensors: tensor "w" has dtype F8_E4M3, which tensorgrad cannot read'],
    ["a missing dtype", file('{"w":{"shape":[1],"data_offsets":[0,4]}}', [0, 0, 0, 0]), 'safetensors: tensor "w" has no dtype string'],
    ["a non-object tensor", file('{"w":[1]}'), 'safetensors: tensor "w" is not described by an object'],
    ["a negative shape entry", file('{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', [0, 0, 0, 0]), 'safetensors: tensor "w" has shape entry -1, not a non-negative integer'],
    ["a fractional shape entry", file('{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}', [0, 0, 0, 0]), /shape entry 1.5/],
    ["a string shape entry", file('{"w":{"dtype":"F32","shape":["1"],"data_offsets":[0,4]}}', [0, 0, 0, 0]), /shape entry "1"/],
    ["an unsafe shape entry", file('{"w":{"dtype":"F32","shape":[18446744073709551616],"data_offsets":[0,4]}}', [0, 0, 0, 0]), /shape entry 18446744073709552000/],
    ["an element count overflow", file('{"w":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,4]}}', [0, 0, 0, 0]), /too many elements for any file/],
    ["data_offsets not integers", file('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,"4"]}}', [0, 0, 0, 0]), 'safetensors: tensor "w" has data_offsets that are not non-negative integers'],
    ["data_offsets not a pair", file('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}', [0, 0, 0, 0]), /not a \[begin, end\] pair/],
    ["begin after end", file('{"w":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}', [0, 0, 0, 0]), 'safetensors: tensor "w" has data_offsets [4, 0] with begin after end'],
    ["end beyond the buffer", file(F32_2x2, [0, 0, 0, 0]), 'safetensors: tensor "w" has data_offsets [0, 16] beyond the 4-byte data buffer'],
    ["size ≠ numel·itemsize", file('{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}}', new Array<number>(12).fill(0)), 'safetensors: tensor "w" has data_offsets [0, 12] but shape [2, 2] of F32 needs 16 bytes'],
    ["overlapping tensors", file('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}', new Array<number>(12).fill(0)), 'safetensors: tensor "b" at [4, 12] overlaps tensor "a" at [0, 8]'],
    ["a hole", file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}', new Array<number>(12).fill(0)), 'safetensors: bytes [4, 8) of the data buffer belong to no tensor (before tensor "b")'],
    ["trailing bytes", file(F32_2x2, [...sixteen, 1, 2]), "safetensors: the data buffer has 18 bytes but the tensors cover only 16"],
    ["metadata not an object", file('{"__metadata__":"x"}'), 'safetensors: "__metadata__" is not an object'],
    ["metadata values not strings", file('{"__metadata__":{"epoch":3}}'), 'safetensors: "__metadata__" value for key "epoch" is not a string'],
  ];
  for (const [what, bytes, message] of cases) {
    it(what, () => {
      expect(() => decodeSafetensors(bytes)).toThrow(message);
    });
  }

  it("accepts tensors listed out of offset order, and returns them in data order (as Python's load_file)", () => {
    const bytes = file(
      '{"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"e":{"dtype":"F32","shape":[0],"data_offsets":[4,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}',
      f32le([1, 2]),
    );
    const out = decodeSafetensors(bytes);
    expect(Object.keys(out.tensors)).toEqual(["a", "e", "b"]);
    expect(Array.from(out.tensors.a.data)).toEqual([1]);
    expect(Array.from(out.tensors.b.data)).toEqual([2]);
  });

  it("keeps a tensor named __proto__ as a key (no prototype pollution)", () => {
    const out = decodeSafetensors(file('{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', f32le([5])));
    expect(Object.keys(out.tensors)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(out.tensors)).toBe(Object.prototype);
  });

  it("reads a null __metadata__ as none, ignores unknown fields, and reads from an offset view", () => {
    const inner = file('{"__metadata__":null,"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":true}}', f32le([3]));
    const outer = new Uint8Array(inner.length + 3);
    outer.set(inner, 3);
    const out = decodeSafetensors(outer.subarray(3));
    expect(out.metadata).toEqual({});
    expect(Array.from(out.tensors.w.data)).toEqual([3]);
  });
});
