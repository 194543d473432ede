import { fractionRemaining, secondsRemaining } from '../lib/format';

/** A ring that empties over the period; turns to the warning colour in the last 5 seconds. */
export function CountdownRing({ nowMs, period, size = 36 }: { nowMs: number; period: number; size?: number }) {
  const r = size / 2 - 3;
  const c = 2 * Math.PI * r;
  const frac = fractionRemaining(nowMs, period);
  const left = secondsRemaining(nowMs, period);
  return (
    <svg className={`ring${left <= 5 ? ' ending' : ''}`} width={size} height={size} viewBox={`0 0 ${size} ${size}`} role="img" aria-label={`${left} seconds left`}>
      <circle className="ring-track" cx={size / 2} cy={size / 2} r={r} />
      <circle className="ring-fill" cx={size / 2} cy={size / 2} r={r} strokeDasharray={c} strokeDashoffset={c * (1 - frac)} transform={`rotate(-90 ${size / 2} ${size / 2})`} />
      <text x="50%" y="50%" dominantBaseline="central" textAnchor="middle" className="ring-text">
        {left}
      </text>
    </svg>
  );
}
