// The energy a session is billed for, from its register readings: meterStart, the meter values in time
// order, meterStop. Each step between two readings counts when it is plausible; a step no charger can
// deliver (above maxPowerW for its duration) is not billed, and a register that falls is taken as a reset
// to zero (what counts after it is the new reading, as counter-reset handling does elsewhere). Every
// anomaly becomes a flag with the figures, so a doubtful bill is never silent.
import { kWh, type SessionFlagCode } from './sessionFlags.js';

export interface RegisterReading { at: string; wh: number }
export interface EnergyFinding { code: SessionFlagCode; reason: string }
export interface SessionEnergy { energyWh: number; findings: EnergyFinding[] }

/**
 * A step is judged as lasting at least this long: charger clocks are unset, coarse or queued, so only what no
 * connector could deliver in an hour is refused (a meter's lifetime total, not a fast session).
 */
const MIN_STEP_SECONDS = 3600;

export function sessionEnergy(
  start: RegisterReading, readings: RegisterReading[], stop: RegisterReading, maxPowerW: number,
): SessionEnergy {
  const findings: EnergyFinding[] = [];
  // Start first and stop last whatever the clocks say; readings in between by their time (UTC ISO text).
  const points = [start, ...[...readings].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)), { ...stop, isStop: true }];
  let energyWh = 0;
  let prev = start;
  for (let i = 1; i < points.length; i++) {
    const p = points[i]! as RegisterReading & { isStop?: boolean };
    const seconds = Math.max(MIN_STEP_SECONDS, secondsBetween(prev.at, p.at));
    const limitWh = (maxPowerW * seconds) / 3600;
    const what = p.isStop ? `meterStop ${p.wh} Wh` : `the reading of ${p.wh} Wh at ${p.at}`;
    if (p.wh >= prev.wh) {
      const step = p.wh - prev.wh;
      if (step <= limitWh) energyWh += step;
      else {
        const placeholder = prev === start && start.wh === 0;
        findings.push({
          code: 'meter_jump',
          reason: placeholder
            ? `meterStart was 0 and ${what} followed: 0 looks like a placeholder for the meter's total, so the ${kWh(step)} before it is not billed`
            : `${what} is ${kWh(step)} above the one before, more than ${Math.round(maxPowerW / 1000)} kW could deliver in ${Math.round(seconds)} s: that step is not billed`,
        });
      }
    } else if (p.wh < prev.wh / 2 && p.wh <= limitWh) {
      energyWh += p.wh;
      findings.push({ code: 'meter_reset', reason: `${what} is below the ${prev.wh} Wh before it: the meter restarted from zero (a reboot?), ${kWh(p.wh)} counted after the restart` });
    } else {
      findings.push({ code: 'meter_reset', reason: `${what} is below the ${prev.wh} Wh before it: the register went back, nothing billed for that step` });
      continue; // keep the higher reading: what follows counts from there
    }
    prev = p;
  }
  if (findings.length > 0 && energyWh === 0) {
    findings.push({ code: 'meter_unknown', reason: `no plausible meter figure: billed 0 kWh from meterStart ${start.wh} Wh and meterStop ${stop.wh} Wh; check the charger's meter` });
  }
  return { energyWh, findings };
}

function secondsBetween(from: string, to: string): number {
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) ? ms / 1000 : 0;
}
