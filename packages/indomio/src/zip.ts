// A streaming ZIP writer for one deflated entry: local header, data, data descriptor,
// central directory. Sizes and CRC are known only at the end, hence the descriptor.
import { Transform, type TransformCallback } from 'node:stream';
import { crc32 } from 'node:zlib';

/** Largest size a ZIP without the ZIP64 extension records. */
export const ZIP_MAX_SIZE = 0xffff_ffff;

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
/** 2.0: deflate. */
const VERSION = 20;
/** Bit 3: sizes and CRC follow the data; bit 11: the name is UTF-8. */
const FLAGS = 0x0008 | 0x0800;
const DEFLATE = 8;

/** Date and time of an entry in MS-DOS format, as ZIP stores them (local time, 2-second steps). */
function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.min(2107, Math.max(1980, date.getFullYear()));
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/** What the entry's headers need: name, time, and what the data descriptor reports. */
export interface ZipEntryState {
  /** The entry's name in the archive. */
  readonly name: string;
  /** Its modification time. */
  readonly modified: Date;
  /** CRC-32 of the uncompressed data. */
  crc: number;
  /** Uncompressed bytes. */
  size: number;
  /** Compressed bytes. */
  compressedSize: number;
}

/** A new entry, before any data. */
export function zipEntry(name: string, modified: Date): ZipEntryState {
  return { name, modified, crc: 0, size: 0, compressedSize: 0 };
}

function tooLarge(): Error {
  return new RangeError(`a zip feed holds at most ${ZIP_MAX_SIZE} bytes of XML: use the gzip format`);
}

/**
 * Adds uncompressed data to the entry's CRC and size, as it goes to the deflater: throws a
 * `RangeError` past what a ZIP without ZIP64 holds.
 */
export function zipChecksum(entry: ZipEntryState, data: Uint8Array): void {
  entry.crc = crc32(data, entry.crc);
  entry.size += data.length;
  if (entry.size > ZIP_MAX_SIZE) throw tooLarge();
}

/**
 * Frames the deflated data of `entry` as a ZIP archive: the local header before it, the
 * data descriptor, central directory and end record after it. Place it after the
 * deflater, and give every piece of data to {@link zipChecksum} before the deflater, so the
 * CRC and size are final at the end.
 */
export function zipFrame(entry: ZipEntryState): Transform {
  const name = Buffer.from(entry.name, 'utf8');
  const { time, date } = dosDateTime(entry.modified);
  let started = false;
  const localHeader = (): Buffer => {
    const header = Buffer.alloc(30 + name.length);
    header.writeUInt32LE(LOCAL_HEADER, 0);
    header.writeUInt16LE(VERSION, 4);
    header.writeUInt16LE(FLAGS, 6);
    header.writeUInt16LE(DEFLATE, 8);
    header.writeUInt16LE(time, 10);
    header.writeUInt16LE(date, 12);
    // CRC and sizes (14–25) stay zero: the data descriptor carries them.
    header.writeUInt16LE(name.length, 26);
    header.writeUInt16LE(0, 28);
    name.copy(header, 30);
    return header;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      if (!started) {
        started = true;
        this.push(localHeader());
      }
      entry.compressedSize += chunk.length;
      if (entry.compressedSize > ZIP_MAX_SIZE) callback(tooLarge());
      else callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      const head = started ? undefined : localHeader();
      const headerLength = 30 + name.length;
      const descriptor = Buffer.alloc(16);
      descriptor.writeUInt32LE(DATA_DESCRIPTOR, 0);
      descriptor.writeUInt32LE(entry.crc >>> 0, 4);
      descriptor.writeUInt32LE(entry.compressedSize, 8);
      descriptor.writeUInt32LE(entry.size, 12);
      const centralOffset = headerLength + entry.compressedSize + descriptor.length;
      if (centralOffset > ZIP_MAX_SIZE) {
        callback(tooLarge());
        return;
      }
      const central = Buffer.alloc(46 + name.length);
      central.writeUInt32LE(CENTRAL_HEADER, 0);
      central.writeUInt16LE(VERSION, 4); // made by: MS-DOS/FAT attributes, version 2.0
      central.writeUInt16LE(VERSION, 6);
      central.writeUInt16LE(FLAGS, 8);
      central.writeUInt16LE(DEFLATE, 10);
      central.writeUInt16LE(time, 12);
      central.writeUInt16LE(date, 14);
      central.writeUInt32LE(entry.crc >>> 0, 16);
      central.writeUInt32LE(entry.compressedSize, 20);
      central.writeUInt32LE(entry.size, 24);
      central.writeUInt16LE(name.length, 28);
      // Extra field, comment, disk number, internal and external attributes (30–41) stay zero.
      central.writeUInt32LE(0, 42); // offset of the local header
      name.copy(central, 46);
      const end = Buffer.alloc(22);
      end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
      end.writeUInt16LE(1, 8); // entries on this disk
      end.writeUInt16LE(1, 10); // entries in all
      end.writeUInt32LE(central.length, 12);
      end.writeUInt32LE(centralOffset, 16);
      callback(null, Buffer.concat([...(head ? [head] : []), descriptor, central, end]));
    },
  });
}
