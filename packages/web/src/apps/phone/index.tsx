// The phone proof-camera page (手机佐证端). (Being built: see the phone proof camera issue.)
export default function PhoneApp() {
  return <div style={{ padding: 24 }}>Invigil 手机佐证端</div>;
}
