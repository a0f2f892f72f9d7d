import 'multi-seat/multi-seat.js';
import type {} from 'multi-seat/react'; // JSX types for the tags (once per app)
import type { MultiSeat, SeatAnswerEvent, SeatCallDetail } from 'multi-seat/multi-seat.js';
import { useEffect, useRef } from 'react';

type Props = { server: string; token: string; onAnswer: (customer: SeatCallDetail['call']['customer'], virtualSeat: string) => void };

export function Seat({ server, token, onAnswer }: Props) {
  const ref = useRef<MultiSeat>(null);
  useEffect(() => {
    const seat = ref.current!;
    const pop = (e: SeatAnswerEvent) => onAnswer(e.detail.call.customer, e.detail.virtualSeat);
    seat.addEventListener('seat-answer', pop);
    return () => seat.removeEventListener('seat-answer', pop);
  }, [onAnswer]);
  return <multi-seat ref={ref} server={server} token={token} splits="2" />;
}
