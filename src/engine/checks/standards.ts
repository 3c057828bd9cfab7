/**
 * Value standards RFC 7643 names for some User attributes: addresses.country (ISO 3166-1 alpha-2),
 * preferredLanguage and locale (language tags), timezone (IANA time zone names), e-mail addresses.
 * Findings are warnings: Entra stores the value, but other systems reading it expect the standard.
 * Every check is procedural or a linear regular expression.
 */

/** ISO 3166-1 alpha-2: the 249 officially assigned codes. */
export const ISO_COUNTRIES: ReadonlySet<string> = new Set(
  ('AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
    'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
    'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
    'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
    'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
    'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
    'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW').split(' '),
);

/** Codes HR systems write instead of alpha-2: alpha-3 codes and the reserved "UK" / "EL". */
const COUNTRY_ALIASES: Record<string, string> = {
  UK: 'GB', EL: 'GR',
  USA: 'US', GBR: 'GB', DEU: 'DE', FRA: 'FR', ITA: 'IT', ESP: 'ES', PRT: 'PT', NLD: 'NL', BEL: 'BE', LUX: 'LU', CHE: 'CH',
  AUT: 'AT', POL: 'PL', CZE: 'CZ', SVK: 'SK', HUN: 'HU', ROU: 'RO', BGR: 'BG', GRC: 'GR', SWE: 'SE', NOR: 'NO', DNK: 'DK',
  FIN: 'FI', ISL: 'IS', IRL: 'IE', EST: 'EE', LVA: 'LV', LTU: 'LT', SVN: 'SI', HRV: 'HR', SRB: 'RS', UKR: 'UA', RUS: 'RU',
  TUR: 'TR', ISR: 'IL', ARE: 'AE', SAU: 'SA', QAT: 'QA', EGY: 'EG', MAR: 'MA', ZAF: 'ZA', NGA: 'NG', KEN: 'KE', IND: 'IN',
  PAK: 'PK', BGD: 'BD', LKA: 'LK', CHN: 'CN', JPN: 'JP', KOR: 'KR', TWN: 'TW', HKG: 'HK', SGP: 'SG', MYS: 'MY', THA: 'TH',
  VNM: 'VN', IDN: 'ID', PHL: 'PH', AUS: 'AU', NZL: 'NZ', CAN: 'CA', MEX: 'MX', BRA: 'BR', ARG: 'AR', CHL: 'CL', COL: 'CO',
  PER: 'PE', CRI: 'CR', PAN: 'PA', URY: 'UY',
};

let countryNames: Map<string, string> | undefined;
/** English country names → alpha-2 ("Germany" → DE), from the runtime's CLDR data. */
function byName(v: string): string | undefined {
  if (!countryNames) {
    countryNames = new Map();
    try {
      const dn = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
      for (const c of ISO_COUNTRIES) {
        const n = dn.of(c);
        if (n) countryNames.set(n.toLowerCase(), c);
      }
    } catch {
      /* no ICU data: no name suggestions */
    }
  }
  return countryNames.get(v.trim().toLowerCase());
}

export function checkCountry(v: string): string | undefined {
  if (ISO_COUNTRIES.has(v)) return undefined;
  const upper = v.trim().toUpperCase();
  const suggestion = ISO_COUNTRIES.has(upper) ? upper : COUNTRY_ALIASES[upper] ?? byName(v);
  const hint = suggestion ? ` Did you mean "${suggestion}"?` : '';
  return `${show(v)} is not an ISO 3166-1 alpha-2 country code (such as "GB", "DE", "US").${hint}`;
}

/** A BCP 47 language tag's shape (language, script, region, variants, extensions), checked by the runtime. */
const TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;

export function checkLanguageTag(v: string, list = false): string | undefined {
  // preferredLanguage follows HTTP Accept-Language: "da, en-GB;q=0.8" is allowed.
  const parts = list ? v.split(',').map((p) => p.split(';')[0].trim()) : [v];
  for (const p of parts) {
    if (TAG.test(p) && canonical(p)) continue;
    const dashed = p.replace(/_/g, '-');
    const hint = dashed !== p && TAG.test(dashed) && canonical(dashed) ? ` Did you mean "${canonical(dashed)}"?` : '';
    return `${show(v)} is not a language tag such as "en-US" or "de".${hint}`;
  }
  return undefined;
}

function canonical(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

let zones: Set<string> | undefined;
export function checkTimezone(v: string): string | undefined {
  zones ??= new Set(typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []);
  if (zones.has(v)) return undefined;
  // Aliases (UTC, Etc/GMT, Asia/Calcutta …) are IANA names too; offsets such as "+01:00" are not.
  let resolved: string | undefined;
  if (/^[A-Za-z]/.test(v)) {
    try {
      resolved = new Intl.DateTimeFormat('en', { timeZone: v }).resolvedOptions().timeZone;
    } catch {
      resolved = undefined;
    }
  }
  if (resolved && resolved.toLowerCase() === v.toLowerCase() && resolved !== v) return `${show(v)}: IANA time zone names are written "${resolved}"`;
  if (resolved) return undefined;
  return `${show(v)} is not an IANA time zone name such as "Europe/Berlin" or "America/New_York"`;
}

/** local@domain.tld, no spaces (a shape check: RFC 5321 allows more, directories do not). */
export function checkEmail(v: string): string | undefined {
  const at = v.lastIndexOf('@');
  const domain = v.slice(at + 1);
  const dot = domain.indexOf('.');
  const ok = at > 0 && v.indexOf('@') === at && !/\s/.test(v) && dot > 0 && !domain.endsWith('.') && !domain.includes('..');
  return ok ? undefined : `${show(v)} is not an e-mail address such as jane.doe@contoso.com`;
}

function show(v: string): string {
  return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
}
