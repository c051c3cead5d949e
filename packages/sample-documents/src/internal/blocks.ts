import { z } from 'zod'
import type { LetterBlock } from '../letter.js'
import type { Block } from './municipal-pdf.js'
import { line, paragraph } from './schemas.js'

export const LetterBlockSchema: z.ZodType<LetterBlock> = z.union([
  paragraph(10_000),
  z.strictObject({ heading: line(200) }),
  z.strictObject({ bullets: z.array(paragraph(2_000)).min(1, 'must have at least one item').max(100) }),
])

/** Body blocks in the renderer's form. */
export function toBlocks(paragraphs: readonly LetterBlock[]): Block[] {
  return paragraphs.map((block): Block => {
    if (typeof block === 'string') return { kind: 'paragraph', text: block }
    if ('heading' in block) return { kind: 'heading', text: block.heading }
    return { kind: 'bullets', items: block.bullets }
  })
}
