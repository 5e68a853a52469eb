// Made-up Tilda form submissions for the benchmark, each lead unique and traceable in the WEEEK sandbox
// by a short tag (`B0017`) in its name, by its e-mail and by its Tilda `tranid`.

/** The scenarios that feed leads. The letter starts every tag, so no two scenarios share a lead. */
export const SCENARIO_LETTERS = Object.freeze({
  warmUp: 'W',
  batch: 'B',
  rateLimited: 'R',
  nodeRed: 'N',
  nodeRedWarmUp: 'V',
  criticalPath: 'C',
  criticalPathNodeRed: 'D',
});

const TAG_PATTERN = /Бенч-([A-Z]\d{4})/;

/**
 * Returns `count` leads for a scenario as `{ tag, email, tranid, fields }`, where `fields` are the form
 * fields Tilda posts. The tag is `<letter><4 digits>`, so `count` is at most 10,000.
 */
export function benchLeads(scenario, count) {
  const letter = SCENARIO_LETTERS[scenario];
  if (letter === undefined) throw new Error(`Unknown scenario "${scenario}": use one of ${Object.keys(SCENARIO_LETTERS).join(', ')}.`);
  if (!(count >= 1 && count <= 10_000)) throw new Error(`The lead count must be between 1 and 10000, got ${count}.`);

  const scenarioIndex = Object.keys(SCENARIO_LETTERS).indexOf(scenario);
  return Array.from({ length: count }, (_unused, index) => {
    const number = String(index).padStart(4, '0');
    const tag = `${letter}${number}`;
    const digits = String(scenarioIndex * 1_000_000 + index).padStart(7, '0');
    const email = `bench-${tag.toLowerCase()}@example.ru`;
    const tranid = `${9_000_000 + scenarioIndex}:${8_900_000_000 + index}`;
    return {
      tag,
      email,
      tranid,
      fields: {
        Name: `Анна Бенч-${tag}`,
        Phone: `+7 (999) ${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5, 7)}`,
        Email: email,
        Comment: 'Перезвоните после 18:00, пожалуйста',
        utm_source: 'yandex',
        utm_medium: 'cpc',
        utm_campaign: 'bench_spring',
        tranid,
        formid: 'form900001',
        formname: 'Заявка на консультацию',
      },
    };
  });
}

/** Returns the lead tag in a deal title or any other text, or undefined. */
export function tagIn(text) {
  return typeof text === 'string' ? TAG_PATTERN.exec(text)?.[1] : undefined;
}

/** Encodes a lead's fields the way Tilda posts them (application/x-www-form-urlencoded). */
export function tildaFormBody(lead) {
  return new URLSearchParams(lead.fields).toString();
}
