import type { LetterToSend } from '@felles/sample-municipality/casework'
import type { SendOptions, SendResult, SvarUtClient } from '@felles/svarut'

/** The name of this system as SvarUt shows it (`avgivendeSystem`). */
export const AVGIVENDE_SYSTEM = 'Felles saksbehandling'

/**
 * Sends a recorded letter with the client's idempotent send: the
 * `eksternReferanse` is the letter's own stable reference, so a retry (by this
 * worker or another after a crash) looks it up before any second upload.
 */
export function sendLetter(
  svarut: SvarUtClient,
  letter: LetterToSend,
  options: SendOptions = {},
): Promise<SendResult> {
  const dokumenter = letter.documents.map((d) => ({
    filnavn: d.filnavn,
    mimeType: d.mimeType,
    content: new Uint8Array(d.content),
  }))
  const common = {
    tittel: letter.title.slice(0, 1000),
    eksternReferanse: letter.eksternReferanse,
    avgivendeSystem: AVGIVENDE_SYSTEM,
  }
  if (letter.recipient.kind === 'person') {
    const { address } = letter.recipient
    return svarut.sendToPerson(
      {
        ...common,
        mottaker: {
          navn: letter.recipient.name.slice(0, 100),
          digitalId: letter.recipient.pid,
          ...(address
            ? {
                adresse: {
                  adresselinje1: address.line.slice(0, 70),
                  postnummer: address.postalCode,
                  poststed: address.city,
                },
              }
            : {}),
        },
        dokumenter,
      },
      options,
    )
  }
  return svarut.sendToOrganisation(
    {
      ...common,
      mottaker: { navn: letter.recipient.name.slice(0, 100), digitalId: letter.recipient.orgnr },
      dokumenter,
    },
    options,
  )
}
