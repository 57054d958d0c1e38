import { TensileError } from '../../errors.js';
import type { StorageHooks } from '../storage.js';
import type { DeviceApi, DeviceBuffer, View } from './device.js';

/** The device copy of one host ArrayBuffer, and which side holds the newer values. */
interface Mirror {
  readonly buf: DeviceBuffer;
  /** The device copy is newer (a kernel wrote it): download before JavaScript reads the host array. */
  hostStale: boolean;
  /** The host array is newer (created or written in JavaScript): upload before a kernel reads it. */
  deviceStale: boolean;
}

/**
 * Keeps tensors on the device between ops. Every host ArrayBuffer a kernel touches gets one device buffer
 * of the same size (so subarray views map to offsets), created on first use and freed with the host
 * array (the device buffer is reachable only from this WeakMap) or by dispose(). Values cross the bus
 * only when a host-side reader asks (syncHost: dataSync, arraySync, save, ...) or a kernel reads an
 * array JavaScript wrote.
 */
export class Residency implements StorageHooks {
  private readonly mirrors = new WeakMap<ArrayBufferLike, Mirror>();
  /** Arrays disposed while only the device held their values: using them is an error. */
  private readonly lost = new WeakSet<ArrayBufferLike>();
  /** Buffers whose host copy may be stale, so a switch to a CPU backend can bring them home. */
  private readonly stale = new Set<WeakRef<ArrayBufferLike>>();
  private pruneAt = 1024;

  constructor(private readonly dev: DeviceApi) {}

  /** A device view of a with current values (uploading the host array if the device copy is older). */
  read(a: Float32Array): View {
    return this.viewOf(a, this.mirror(a, true));
  }

  /** A device view for a kernel that overwrites all of a: no upload when a spans its whole buffer. */
  write(a: Float32Array): View {
    const whole = a.byteOffset === 0 && a.byteLength === a.buffer.byteLength;
    const m = this.mirror(a, !whole);
    if (whole) m.deviceStale = false;
    return this.viewOf(a, m);
  }

  /** A kernel wrote a on the device. */
  written(a: Float32Array): void {
    const m = this.mirrors.get(a.buffer);
    if (!m || m.hostStale) return;
    m.hostStale = true;
    this.stale.add(new WeakRef(a.buffer));
    if (this.stale.size > this.pruneAt) this.prune();
  }

  syncHost(a: Float32Array): void {
    this.syncBuffer(a.buffer);
  }

  /** JavaScript wrote a (after syncHost, when it wrote only part of it): the host array is the newest copy. */
  hostWritten(a: Float32Array): void {
    const m = this.mirrors.get(a.buffer);
    if (!m) return;
    m.deviceStale = true;
    m.hostStale = false;
  }

  release(a: Float32Array): void {
    const key = a.buffer;
    const m = this.mirrors.get(key);
    if (!m) return;
    if (m.hostStale) this.lost.add(key);
    this.mirrors.delete(key);
    m.buf.dispose();
  }

  /** Download every array whose newest values are on the device (before switching to a CPU backend). */
  syncAll(): void {
    for (const ref of this.stale) {
      const key = ref.deref();
      if (key && !this.lost.has(key)) this.syncBuffer(key);
    }
    this.stale.clear();
  }

  /** Download key's device copy into it if that copy is newer. */
  private syncBuffer(key: ArrayBufferLike): void {
    if (this.lost.has(key)) throw new TensileError('dispose', 'a tensor was used after dispose() freed its only copy');
    const m = this.mirrors.get(key);
    if (!m || !m.hostStale) return;
    this.dev.download(this.whole(m), new Float32Array(key, 0, m.buf.length));
    m.hostStale = false;
  }

  private mirror(a: Float32Array, upload: boolean): Mirror {
    const key = a.buffer;
    if (this.lost.has(key)) throw new TensileError('dispose', 'a tensor was used after dispose() freed its only copy');
    let m = this.mirrors.get(key);
    if (!m) {
      m = { buf: this.dev.alloc(key.byteLength >>> 2), hostStale: false, deviceStale: true };
      this.mirrors.set(key, m);
    }
    if (upload && m.deviceStale) {
      this.dev.upload(this.whole(m), new Float32Array(key, 0, m.buf.length));
      m.deviceStale = false;
    }
    return m;
  }

  private viewOf(a: Float32Array, m: Mirror): View {
    return { buf: m.buf, offset: a.byteOffset >>> 2, length: a.length };
  }

  private whole(m: Mirror): View {
    return { buf: m.buf, offset: 0, length: m.buf.length };
  }

  private prune(): void {
    for (const ref of this.stale) {
      const key = ref.deref();
      if (!key || !this.mirrors.get(key)?.hostStale) this.stale.delete(ref);
    }
    this.pruneAt = Math.max(1024, 2 * this.stale.size);
  }
}
