/**
 * @module gadget/components/Queues
 * Queue statistics from queueDataUpdate.
 */
import type { QueueData } from '../../core/model.js';

export function Queues(props: { queues: QueueData[] }) {
  if (props.queues.length === 0) return null;
  return (
    <table class="queues" aria-label="Queue statistics">
      <thead>
        <tr>
          <th scope="col">Queue</th>
          <th scope="col">In queue</th>
          <th scope="col">Ready</th>
          <th scope="col">Not ready</th>
        </tr>
      </thead>
      <tbody>
        {props.queues.map((q) => (
          <tr key={q.id} data-escalation={q.escalationLevel}>
            <th scope="row">{q.name}</th>
            <td>{q.statistics.callsInQueue}</td>
            <td>{q.statistics.agentsReady}</td>
            <td>{q.statistics.agentsNotReady}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
