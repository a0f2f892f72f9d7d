// A CRM page: the seat, and the case panel it pops when a call is answered. The control center's
// URL and the seat's token would come from the CRM's backend; here they are in the page's query.
import { useCallback, useState } from 'react';
import type { SeatCallDetail } from 'multi-seat/multi-seat.js';
import { Seat } from './Seat.tsx';

type Customer = SeatCallDetail['call']['customer'];

const query = new URLSearchParams(location.search);

export default function App() {
  const [popped, setPopped] = useState<{ customer: Customer; virtualSeat: string } | null>(null);
  const onAnswer = useCallback((customer: Customer, virtualSeat: string) => setPopped({ customer, virtualSeat }), []);
  return (
    <main>
      <Seat server={query.get('server') ?? ''} token={query.get('token') ?? ''} onAnswer={onAnswer} />
      <section id="case" aria-live="polite">
        {popped ? (
          <dl>
            <dt>Customer</dt>
            <dd data-field="name">{popped.customer.name}</dd>
            <dt>Id</dt>
            <dd data-field="id">{popped.customer.id}</dd>
            <dt>Virtual seat</dt>
            <dd data-field="virtual-seat">{popped.virtualSeat}</dd>
          </dl>
        ) : (
          <p>No call yet.</p>
        )}
      </section>
    </main>
  );
}
