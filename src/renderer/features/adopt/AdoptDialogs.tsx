/** The adopt and generate dialogs, mounted once: they open from the timeline, the toolbar and the drift warning. */
import { useApp } from '../../store/store-context';
import { AdoptDialog } from './AdoptDialog';
import { GenerateDialog } from './GenerateDialog';

export function AdoptDialogs() {
  const adopt = useApp((s) => s.adopt !== null);
  const generate = useApp((s) => s.generator !== null);
  return (
    <>
      {adopt && <AdoptDialog />}
      {generate && <GenerateDialog />}
    </>
  );
}
