// A push tokenizer for BER that never holds more than one element header in
// memory: primitive contents are handed on as they arrive, so a multi-GiB
// CMS blob streams through in constant memory.
import { SvarUtError } from '../errors.js'
import { readHeader } from './der.js'

export interface BerEvents {
  open(tag: number, constructed: boolean, length: number | null): void
  data(chunk: Buffer): void
  close(tag: number): void
}

interface Frame {
  readonly tag: number
  readonly end: number | null
}

const MAX_DEPTH = 64

function malformed(message: string): SvarUtError {
  return new SvarUtError('ERR_CMS_MALFORMED', message)
}

export class BerTokenizer {
  private readonly stack: Frame[] = []
  private pos = 0
  private pending: Buffer = Buffer.alloc(0)
  private primitiveRemaining = 0
  private primitiveTag = 0
  private started = false
  private done = false

  private readonly events: BerEvents

  constructor(events: BerEvents) {
    this.events = events
  }

  get complete(): boolean {
    return this.done
  }

  write(chunk: Buffer): void {
    let i = 0
    while (i < chunk.length) {
      if (this.primitiveRemaining > 0) {
        const n = Math.min(this.primitiveRemaining, chunk.length - i)
        this.primitiveRemaining -= n
        this.pos += n
        this.events.data(chunk.subarray(i, i + n))
        i += n
        if (this.primitiveRemaining === 0) {
          this.events.close(this.primitiveTag)
          this.popFinished()
        }
        continue
      }
      if (this.done) throw malformed('Trailing bytes after the end of the CMS structure')
      const window =
        this.pending.length > 0
          ? Buffer.concat([this.pending, chunk.subarray(i, i + 8)])
          : chunk.subarray(i, i + 8)
      const header = readHeader(window, 0)
      if (header === undefined) {
        if (window.length >= 8) throw malformed('Unreadable ASN.1 header')
        this.pending = Buffer.from(window)
        i = chunk.length
        continue
      }
      i += header.headerLength - this.pending.length
      this.pending = Buffer.alloc(0)
      this.pos += header.headerLength
      this.element(header.tag, header.constructed, header.length)
    }
  }

  end(): void {
    if (!this.done || this.pending.length > 0 || this.primitiveRemaining > 0) {
      throw malformed('The CMS structure is truncated')
    }
  }

  private element(tag: number, constructed: boolean, length: number | null): void {
    if (tag === 0 && length === 0) {
      const top = this.stack[this.stack.length - 1]
      if (!top || top.end !== null) throw malformed('Unexpected end-of-contents marker')
      this.stack.pop()
      this.events.close(top.tag)
      this.afterClose()
      return
    }
    if (!this.started) {
      this.started = true
      if (!constructed) throw malformed('A CMS structure starts with a SEQUENCE')
    }
    const parent = this.stack[this.stack.length - 1]
    if (parent?.end != null && length !== null && this.pos + length > parent.end) {
      throw malformed('An ASN.1 element overruns its parent')
    }
    this.events.open(tag, constructed, length)
    if (constructed) {
      if (this.stack.length >= MAX_DEPTH) throw malformed('ASN.1 nesting too deep')
      this.stack.push({ tag, end: length === null ? null : this.pos + length })
      this.popFinished()
    } else if (length === 0) {
      this.events.close(tag)
      this.popFinished()
    } else {
      this.primitiveRemaining = length ?? 0
      this.primitiveTag = tag
    }
  }

  private popFinished(): void {
    for (;;) {
      const top = this.stack[this.stack.length - 1]
      if (!top || top.end === null) break
      if (this.pos > top.end) throw malformed('An ASN.1 element overruns its parent')
      if (this.pos < top.end) break
      this.stack.pop()
      this.events.close(top.tag)
    }
    if (this.stack.length === 0 && this.started) this.done = true
  }

  private afterClose(): void {
    this.popFinished()
  }
}
