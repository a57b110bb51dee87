/** System · Light · Dark. */
import { useId } from 'react';
import { setTheme, useTheme, type ThemeChoice } from './theme-preference';

export function ThemeSwitch() {
  const theme = useTheme();
  const id = useId();
  return (
    <span className="theme-switch">
      <label htmlFor={id} className="faint theme-switch-label">
        Theme
      </label>
      <select id={id} className="input input-small" value={theme} onChange={(e) => setTheme(e.target.value as ThemeChoice)}>
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </span>
  );
}
