import { createReadStream } from 'node:fs'

/** One stored file to put in a ZIP. */
export interface ZipEntry {
  readonly name: string
  readonly path: string
  readonly size: number
  readonly crc32: number
}

const DOS_EPOCH = (date: Date): { time: number; date: number } => ({
  time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
  date:
    ((Math.max(date.getUTCFullYear(), 1980) - 1980) << 9) |
    ((date.getUTCMonth() + 1) << 5) |
    date.getUTCDate(),
})

/**
 * Streams a ZIP (method "stored", UTF-8 names) of files already on disk whose
 * size and CRC-32 are known, so no data descriptors are needed. Limited to
 * archives below 4 GiB (no ZIP64).
 */
export async function* zipStream(entries: readonly ZipEntry[], modified: Date): AsyncGenerator<Buffer> {
  const { time, date } = DOS_EPOCH(modified)
  const central: Buffer[] = []
  let offset = 0
  for (const entry of entries) {
    if (offset + entry.size > 0xfffffff0) throw new RangeError('ZIP archives over 4 GiB are not supported')
    const name = Buffer.from(entry.name, 'utf8')
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(0x0800, 6)
    local.writeUInt16LE(0, 8)
    local.writeUInt16LE(time, 10)
    local.writeUInt16LE(date, 12)
    local.writeUInt32LE(entry.crc32 >>> 0, 14)
    local.writeUInt32LE(entry.size, 18)
    local.writeUInt32LE(entry.size, 22)
    local.writeUInt16LE(name.length, 26)
    local.writeUInt16LE(0, 28)
    const cd = Buffer.alloc(46)
    cd.writeUInt32LE(0x02014b50, 0)
    cd.writeUInt16LE(20, 4)
    cd.writeUInt16LE(20, 6)
    cd.writeUInt16LE(0x0800, 8)
    cd.writeUInt16LE(0, 10)
    cd.writeUInt16LE(time, 12)
    cd.writeUInt16LE(date, 14)
    cd.writeUInt32LE(entry.crc32 >>> 0, 16)
    cd.writeUInt32LE(entry.size, 20)
    cd.writeUInt32LE(entry.size, 24)
    cd.writeUInt16LE(name.length, 28)
    cd.writeUInt32LE(offset, 42)
    central.push(cd, name)
    yield Buffer.concat([local, name])
    if (entry.size > 0) yield* createReadStream(entry.path)
    offset += 30 + name.length + entry.size
  }
  const cdBuf = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(cdBuf.length, 12)
  end.writeUInt32LE(offset, 16)
  yield Buffer.concat([cdBuf, end])
}
