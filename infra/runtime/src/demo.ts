// The demo workspace `npm start` seeds on first run. Each subgraph seeds its own
// rows; they agree on customer ids through this list, not by reading each other's
// tables.
export const DEMO_WORKSPACE_ID = 'demo';

export interface DemoCustomer {
  id: string;
  name: string;
  phone: string;
  email: string | null;
  city: string;
  gender: 'MALE' | 'FEMALE';
  birthday: string | null;
}

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export const DEMO_CUSTOMERS: DemoCustomer[] = [
  {
    id: id(1),
    name: 'Nguyễn Văn Đức',
    phone: '0912 345 678',
    email: 'duc.nguyen@example.vn',
    city: 'Hà Nội',
    gender: 'MALE',
    birthday: '1990-04-12',
  },
  {
    id: id(2),
    name: 'Trần Thị Mai',
    phone: '0987.654.321',
    email: 'mai.tran@example.vn',
    city: 'TP. Hồ Chí Minh',
    gender: 'FEMALE',
    birthday: '1995-09-30',
  },
  {
    id: id(3),
    name: 'Lê Hoàng Nam',
    phone: '+84 903 111 222',
    email: null,
    city: 'Đà Nẵng',
    gender: 'MALE',
    birthday: null,
  },
  {
    id: id(4),
    name: 'Phạm Thu Hà',
    phone: '0168 123 4567',
    email: 'ha.pham@example.vn',
    city: 'Hải Phòng',
    gender: 'FEMALE',
    birthday: '1988-01-05',
  },
  {
    id: id(5),
    name: 'Võ Minh Tuấn',
    phone: '0933 222 111',
    email: null,
    city: 'Cần Thơ',
    gender: 'MALE',
    birthday: '2000-12-24',
  },
];

/** A deterministic uuid for demo rows of kind `kind` (1-9) number `n`. */
export function demoRowId(kind: number, n: number): string {
  return `00000000-0000-4000-${8000 + kind}-${String(n).padStart(12, '0')}`;
}
